import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** What the matrix compares of an HTTP answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: GraphQLBody;
}

export interface GraphQLErrorBody {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface GraphQLBody {
  readonly data?: unknown;
  readonly errors?: readonly GraphQLErrorBody[];
}

/** POSTs a GraphQL request as JSON, accepting what GraphQL-over-HTTP clients accept. */
export async function postGraphQL(url: string, request: unknown, headers: Readonly<Record<string, string>> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(request),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody };
}

/** A graphql-ws subscription from a Node client that sends `headers` with its upgrade request. */
export interface WsSubscription {
  /** The payloads received so far. */
  readonly payloads: GraphQLBody[];
  /** Resolves when the server completes the subscription, with the error if it failed instead. */
  readonly done: Promise<unknown>;
  close(): Promise<void>;
}

export function subscribeWs(wsUrl: string, query: string, headers: Readonly<Record<string, string>>): WsSubscription {
  class WebSocketWithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocketWithHeaders, lazy: true, retryAttempts: 0 });
  const payloads: GraphQLBody[] = [];
  const done = new Promise<unknown>((resolve) => {
    client.subscribe({ query }, { next: (payload) => payloads.push(payload), error: (error) => resolve(error ?? new Error('failed')), complete: () => resolve(undefined) });
  });
  return { payloads, done, close: () => client.dispose() as Promise<void> };
}

/** A subscription over Server-Sent Events (GraphQL over SSE, "distinct connections" mode, as Yoga serves it). */
export interface SseSubscription {
  /** The HTTP status and headers of the stream's response. */
  readonly response: Promise<{ status: number; headers: Headers }>;
  readonly payloads: GraphQLBody[];
  /** Resolves when the server ends the stream (`event: complete`, or the body ends). */
  readonly done: Promise<void>;
  close(): void;
}

export function subscribeSse(url: string, query: string, headers: Readonly<Record<string, string>>): SseSubscription {
  const abort = new AbortController();
  const payloads: GraphQLBody[] = [];
  const started = fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  const done = (async () => {
    const response = await started;
    const reader = response.body?.getReader();
    if (reader === undefined) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffer += decoder.decode(value, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        const event = /^event: (\w+)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event === 'complete') {
          await reader.cancel();
          return;
        }
        if (event === 'next' && data !== undefined) payloads.push(JSON.parse(data) as GraphQLBody);
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) throw error;
  });
  return { response: started.then(({ status, headers: responseHeaders }) => ({ status, headers: responseHeaders })), payloads, done, close: () => abort.abort() };
}
