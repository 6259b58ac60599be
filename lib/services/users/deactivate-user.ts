import { setUserActive, type UserEmailInput, type UserStatus } from "./set-user-active";
import type { Caller } from "../caller";

/**
 * Deactivates a user: they can no longer sign in, their session stops working on the next request
 * and their API tokens stop authenticating. An administrator cannot deactivate themselves.
 */
export function deactivateUser(caller: Caller, input: UserEmailInput): Promise<UserStatus> {
  return setUserActive(caller, input, false);
}
