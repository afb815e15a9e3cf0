export { hashPassword } from "./password-hash";
