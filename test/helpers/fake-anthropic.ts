/**
 * A small local stand-in for the Anthropic Messages API, enough for the real Claude Code client
 * to run turns offline: `POST /v1/messages` streamed as server-sent events in the API's own event
 * order (message_start, content_block_start/delta/stop, message_delta with the final usage,
 * message_stop), scripted reply by reply. It records every request so a test can read what the
 * client sent (a slash command's rendered text, tool results), and answers anything it does not
 * know with a 404 that it also records, to show what a new client version started calling.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUsage {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export type FakeReply =
  | { kind: 'text'; text: string; usage: FakeUsage }
  | { kind: 'tool_use'; name: string; input: Record<string, unknown>; usage: FakeUsage }
  /** A 429 as a subscriber gets it: the unified rate-limit headers say which limit and when it resets. */
  | { kind: 'rate_limit'; claim: 'five_hour' | 'seven_day'; resetsAt: number };

/** The server's utilisation figures, sent on every successful response as a subscriber's are. */
export interface FakeRateLimits {
  fiveHour: { utilization: number; resetsAt: number };
  sevenDay: { utilization: number; resetsAt: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** What one scripted reply was answered with, so assertions use the exact ids and figures sent. */
export interface SentReply {
  reply: FakeReply;
  messageId: string;
  requestId: string;
  request: RecordedRequest;
}

interface MessagesBody {
  model?: string;
  stream?: boolean;
  messages?: unknown[];
}

export class FakeAnthropicApi {
  readonly requests: RecordedRequest[] = [];
  readonly sent: SentReply[] = [];
  /** Requests the fake had no answer for (unknown paths, message requests with no scripted reply). */
  readonly unexpected: string[] = [];
  rateLimits: FakeRateLimits | null = null;
  private readonly queue: FakeReply[] = [];
  private counter = 0;
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  /** Starts on 127.0.0.1 at a random free port; resolves to the base URL for ANTHROPIC_BASE_URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues the replies for the next streamed message requests, in order. */
  script(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  /** Drops replies still queued and the unexpected-request notes (what was sent stays recorded). */
  forget(): void {
    this.queue.length = 0;
    this.unexpected.length = 0;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Every text block of every user message the client sent, for finding rendered prompts. */
  userTexts(): string[] {
    const texts: string[] = [];
    for (const request of this.requests) {
      const messages = (request.body as MessagesBody | null)?.messages ?? [];
      for (const message of messages as { role?: string; content?: unknown }[]) {
        if (message.role !== 'user') continue;
        if (typeof message.content === 'string') texts.push(message.content);
        else if (Array.isArray(message.content)) {
          for (const block of message.content as { type?: string; text?: unknown; content?: unknown }[]) {
            if (typeof block.text === 'string') texts.push(block.text);
            if (block.type === 'tool_result') texts.push(typeof block.content === 'string' ? block.content : JSON.stringify(block.content));
          }
        }
      }
    }
    return texts;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: RecordedRequest = { method: req.method ?? '', path: url.pathname, headers: req.headers, body };
      this.requests.push(request);
      if (req.method === 'POST' && url.pathname === '/v1/messages/count_tokens') {
        return json(res, 200, { input_tokens: 100 });
      }
      if (req.method === 'POST' && url.pathname === '/v1/messages') {
        return this.message(request, body as MessagesBody, res);
      }
      this.unexpected.push(`${request.method} ${req.url ?? ''}`);
      json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `The fake API does not serve ${url.pathname}` } });
    });
  }

  private message(request: RecordedRequest, body: MessagesBody, res: http.ServerResponse): void {
    const model = typeof body?.model === 'string' ? body.model : 'claude-fake';
    const next = this.queue.shift();
    const reply: FakeReply = next ?? { kind: 'text', text: 'The fake API had no scripted reply.', usage: { input: 1, output: 1, cacheCreation: 0, cacheRead: 0 } };
    if (!next) this.unexpected.push(`unscripted ${request.method} ${request.path} (stream: ${String(body?.stream)})`);
    this.counter += 1;
    const messageId = `msg_fake${String(this.counter).padStart(4, '0')}`;
    const requestId = `req_fake${String(this.counter).padStart(4, '0')}`;
    this.sent.push({ reply, messageId, requestId, request });

    if (reply.kind === 'rate_limit') {
      const window = reply.claim === 'five_hour' ? '5h' : '7d';
      res.writeHead(429, {
        'content-type': 'application/json',
        'request-id': requestId,
        'x-should-retry': 'false',
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(reply.resetsAt),
        'anthropic-ratelimit-unified-representative-claim': reply.claim,
        [`anthropic-ratelimit-unified-${window}-status`]: 'rejected',
        [`anthropic-ratelimit-unified-${window}-reset`]: String(reply.resetsAt),
        [`anthropic-ratelimit-unified-${window}-utilization`]: '1.0',
      });
      res.end(JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: "This request would exceed your account's rate limit. Please try again later." } }));
      return;
    }

    const usage = reply.usage;
    const block =
      reply.kind === 'text'
        ? { start: { type: 'text', text: '' }, delta: { type: 'text_delta', text: reply.text } }
        : { start: { type: 'tool_use', id: `toolu_fake${String(this.counter).padStart(4, '0')}`, name: reply.name, input: {} }, delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.input) } };
    const message = {
      id: messageId,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // As the API does: message_start carries the input side and a placeholder output count.
      usage: { input_tokens: usage.input, cache_creation_input_tokens: usage.cacheCreation, cache_read_input_tokens: usage.cacheRead, output_tokens: 1 },
    };
    const events: [string, Record<string, unknown>][] = [
      ['message_start', { message }],
      ['content_block_start', { index: 0, content_block: block.start }],
      ['content_block_delta', { index: 0, delta: block.delta }],
      ['content_block_stop', { index: 0 }],
      ['message_delta', { delta: { stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null }, usage: { output_tokens: usage.output } }],
      ['message_stop', {}],
    ];
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId, ...this.rateLimitHeaders() });
    for (const [type, data] of events) res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    res.end();
  }

  private rateLimitHeaders(): Record<string, string> {
    if (!this.rateLimits) return {};
    const { fiveHour, sevenDay } = this.rateLimits;
    return {
      'anthropic-ratelimit-unified-status': 'allowed',
      'anthropic-ratelimit-unified-reset': String(fiveHour.resetsAt),
      'anthropic-ratelimit-unified-representative-claim': 'five_hour',
      'anthropic-ratelimit-unified-5h-status': 'allowed',
      'anthropic-ratelimit-unified-5h-utilization': String(fiveHour.utilization),
      'anthropic-ratelimit-unified-5h-reset': String(fiveHour.resetsAt),
      'anthropic-ratelimit-unified-7d-status': 'allowed',
      'anthropic-ratelimit-unified-7d-utilization': String(sevenDay.utilization),
      'anthropic-ratelimit-unified-7d-reset': String(sevenDay.resetsAt),
    };
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
