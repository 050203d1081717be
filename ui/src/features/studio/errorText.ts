// What a failed studio submit means for the user, chosen by the error's `code` only (the text
// is the backend's or the gateway's, shown underneath). A gateway that refuses a task does not
// land here: the core answers with the task, failed, and its message (see StudioForm).
import { ErrorCodes as E, type IpcError } from "../../ipc";
import type { ErrorText } from "../models/errorText";

const RETRY = "Your values are kept: press Create task again (the same click is never sent twice).";

// No `default`: a code added in Rust that this switch does not place is a type error here.
export function errorAdvice(err: IpcError): ErrorText {
  switch (err.code) {
    case E.InvalidInput:
    case E.BadRequest:
      return { title: "Not sent: the request is not valid.", action: "Fix what the details say, then submit again." };
    case E.NotFound:
      return { title: "Not sent: something it refers to is gone.", action: "Pick the source song or connection again." };
    case E.NoKey:
    case E.KeyMissing:
      return { title: "Not sent: this connection has no key.", action: "Bind a key to it on the Keys screen." };
    case E.SandboxNotRunning:
      return { title: "Not sent: the Sandbox is not running.", action: "Restart the app, or pick another connection." };
    case E.Unsupported:
      return { title: "Not sent: this connection cannot run this route.", action: "Pick another route or connection." };
    case E.InsecureHttp:
      return { title: "Not sent: this connection is plain HTTP to another machine.", action: "Confirm it on the Connections screen, or use https://." };
    case E.InvalidKey:
    case E.Forbidden:
      return { title: "The gateway refused the key.", action: "Check the key for this connection on the Keys screen." };
    case E.RateLimited:
      return { title: "The gateway is rate-limiting this key.", action: `Wait a moment. ${RETRY}` };
    case E.Unreachable:
    case E.Timeout:
    case E.GatewayUnavailable:
    case E.GatewayError:
    case E.BadResponse:
      return { title: "No usable answer from the gateway.", action: RETRY };
    case E.Store:
    case E.Internal:
      return { title: "The app could not record the task.", action: RETRY };
    case E.KeychainUnavailable:
    case E.Keychain:
      return { title: "The key could not be read from the keychain.", action: "Unlock the keychain, then submit again." };
    case E.DuplicateKey:
    case E.KeyInUse:
    case E.NewKeyRejected:
    case E.StalePlan:
    case E.HandoffRejected:
      return { title: "Not sent.", action: RETRY };
  }
}
