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
