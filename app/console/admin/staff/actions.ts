"use server";

import { revalidatePath } from "next/cache";
import { secureAction } from "@/lib/actions/secure-action";
import {
  changeStaffRoleSchema,
  createStaffSchema,
  resetStaffTwoStepSchema,
  setStaffDisabledSchema,
} from "@/lib/staff/schema";
import { changeStaffRole, createStaff, resetStaffTwoStep, setStaffDisabled } from "@/lib/staff/staff";

export const createStaffAction = secureAction(
  { schema: createStaffSchema, capability: "admin.staff", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await createStaff({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/staff");
    return result;
  },
);

export const changeStaffRoleAction = secureAction(
  { schema: changeStaffRoleSchema, capability: "admin.staff", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await changeStaffRole({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/staff");
    return result;
  },
);

export const setStaffDisabledAction = secureAction(
  { schema: setStaffDisabledSchema, capability: "admin.staff", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await setStaffDisabled({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/staff");
    return result;
  },
);

export const resetStaffTwoStepAction = secureAction(
  { schema: resetStaffTwoStepSchema, capability: "admin.staff", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await resetStaffTwoStep({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/staff");
    return result;
  },
);
