// Prometheus HTTP API client for the SLO boards: instant and range queries
// sent as POST forms (a board's batched query can be long), a short cache
// per query, and errors that say whether Prometheus could not be reached or
// refused the query.

/** Prometheus could not be asked (down, timeout, not Prometheus). */
export class PrometheusUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusUnavailableError';
  }
}

/** Prometheus refused the query (bad PromQL, execution error). */
export class PromQLError extends Error {
  constructor(readonly query: string, readonly reason: string) {
    super(`PromQL error: ${reason}`);
    this.name = 'PromQLError';
  }
}

/** One series of an instant query; NaN stays NaN here, the caller decides. */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

/** One series of a range query. */
export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

interface ApiResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
}

/** Bounds: answers larger than this are refused rather than parsed. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class PrometheusClient {
  /** HTTP requests sent to Prometheus (cache hits excluded). */
  queries = 0;
  private readonly cache = new Map<
    string,
    { expires: number; value: Promise<unknown> }
  >();
  private readonly baseUrl: string;

  constructor(
    private readonly options: {
      url: string;
      timeoutMs?: number;
      cacheTtlMs?: number;
      maxCacheEntries?: number;
    },
  ) {
    this.baseUrl = options.url.replace(/\/+$/, '');
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Forgets every cached answer. */
  clearCache(): void {
    this.cache.clear();
  }

  /** An instant query at `time` (seconds since epoch). */
  instant(query: string, time: number): Promise<InstantSample[]> {
    return this.cached(`i|${time}|${query}`, async () => {
      const data = await this.post('/api/v1/query', {
        query,
        time: String(time),
      });
      if (data.resultType !== 'vector')
        throw new PromQLError(
          query,
          `expected an instant vector, got a ${data.resultType}`,
        );
      return data.result.map(r => ({
        labels: r.metric,
        value: Number(r.value?.[1]),
      }));
    });
  }

  /** A range query from `start` to `end` every `step` seconds. */
  range(
    query: string,
    start: number,
    end: number,
    step: number,
  ): Promise<RangeSeries[]> {
    return this.cached(`r|${start}|${end}|${step}|${query}`, async () => {
      const data = await this.post('/api/v1/query_range', {
        query,
        start: String(start),
        end: String(end),
        step: String(step),
      });
      return data.result.map(r => ({
        labels: r.metric,
        points: (r.values ?? []).map(
          ([t, v]) => [Number(t), Number(v)] as [number, number],
        ),
      }));
    });
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const ttl = this.options.cacheTtlMs ?? 30_000;
    const value = load();
    if (ttl > 0) {
      if (this.cache.size >= (this.options.maxCacheEntries ?? 5000)) {
        for (const [k, v] of this.cache)
          if (v.expires <= now) this.cache.delete(k);
        if (this.cache.size >= (this.options.maxCacheEntries ?? 5000))
          this.cache.delete(this.cache.keys().next().value!);
      }
      this.cache.set(key, { expires: now + ttl, value });
      // A refused query is refused again (kept); an unreachable Prometheus
      // is not: the next board asks again.
      value.catch(e => {
        if (!(e instanceof PromQLError)) this.cache.delete(key);
      });
    }
    return value;
  }

  private async post(
    path: string,
    form: Record<string, string>,
  ): Promise<NonNullable<ApiResponse['data']>> {
    this.queries++;
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason =
        err.name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs ?? 10_000} ms`
          : err.cause?.code ?? err.cause?.message ?? err.message;
      throw new PrometheusUnavailableError(
        `cannot reach Prometheus at ${this.baseUrl}: ${reason}`,
      );
    }
    const text = await res.text();
    if (text.length > MAX_RESPONSE_BYTES)
      throw new PrometheusUnavailableError(
        `Prometheus at ${this.baseUrl} answered more than ${MAX_RESPONSE_BYTES} bytes`,
      );
    let body: ApiResponse | undefined;
    try {
      body = JSON.parse(text) as ApiResponse;
    } catch {
      body = undefined;
    }
    if (body?.status === 'error') {
      // 400 bad_data, 422 execution: the query's fault; 503 etc.: Prometheus's.
      if (res.status === 400 || res.status === 422)
        throw new PromQLError(form.query, body.error ?? body.errorType ?? '');
      throw new PrometheusUnavailableError(
        `Prometheus at ${this.baseUrl} answered ${res.status}: ${body.error}`,
      );
    }
    if (!res.ok || body?.status !== 'success' || !body.data)
      throw new PrometheusUnavailableError(
        `Prometheus at ${this.baseUrl} answered ${res.status} ${
          res.statusText
        }${body ? '' : ' (not the Prometheus API)'}`,
      );
    return body.data;
  }
}
