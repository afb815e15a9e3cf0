import { z } from "zod/mini";
import { ok } from "@/lib/actions/result";
import { secureRoute } from "@/lib/actions/secure-route";
import { staffCaller } from "@/lib/chat/caller";
import { listWaiting, myChats } from "@/lib/chat/queue";

export const dynamic = "force-dynamic";

export const GET = secureRoute(
  { schema: z.object({}), capability: "chats.answer", httpsOnly: true },
  async (_input, { session }) => ok({ waiting: await listWaiting(), mine: await myChats(staffCaller(session)) }),
);
