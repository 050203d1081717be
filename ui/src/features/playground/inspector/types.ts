// The raw wire of one request, as the backend reports it. Hand-written for now; they will be
// replaced by types generated from Rust (ts-rs) with the same field names.

/** The request as sent. Secret headers arrive already masked, e.g. `authorization: Bearer sk-…demo`. */
export interface WireRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string;
}

export interface WireResponse {
  status: number;
  headers: Array<[string, string]>;
  /** Milliseconds from sending to the response headers. */
  atMs: number;
}

/** One server-sent event of the stream. */
export interface WireEvent {
  seq: number;
  /** The SSE `event:` field; empty when the server sent none (SSE then calls it "message"). */
  event: string;
  data: string;
  bytes: number;
  /** Milliseconds from sending the request. */
  atMs: number;
  /** Milliseconds since the previous event (or since the response headers for the first). */
  sincePrevMs: number;
}
