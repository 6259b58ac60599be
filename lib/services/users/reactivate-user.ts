import { setUserActive, type UserEmailInput, type UserStatus } from "./set-user-active";
import type { Caller } from "../caller";

/** Lets a deactivated user sign in again; tokens they had (and did not have revoked) work again. */
export function reactivateUser(caller: Caller, input: UserEmailInput): Promise<UserStatus> {
  return setUserActive(caller, input, true);
}
