// The dashboard's only way to the server: the /v1 API. An answer that is not 2xx becomes an ApiError
// with the server's {code, message}. When the server has API keys (401), the page asks for one once,
// keeps it in localStorage and sends it as Authorization: Bearer on every request. Training in the
// background is a POST and then polling the job.
import type { Job } from './types';

const KEY_STORE = 'nextbest.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let asking: Promise<string> | null = null;

/** A modal form asking for an API key; resolves with what was typed. */
function askForKey(reason: string): Promise<string> {
  asking ??= new Promise<string>((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'key-dialog';
    dialog.innerHTML = `<form method="dialog">
      <h2>API key</h2>
      <p class="muted"></p>
      <label>Key <input name="key" type="password" autocomplete="off" required placeholder="nb_..." /></label>
      <p class="muted small">Make one with <code>nextbest keys create --name dashboard --scope admin</code> (a read key can look but not change models or send events). It is kept in this browser only.</p>
      <button type="submit">Use this key</button>
    </form>`;
    (dialog.querySelector('p.muted') as HTMLElement).textContent = reason;
    document.body.append(dialog);
    dialog.addEventListener('close', () => {
      const key = (dialog.querySelector('input') as HTMLInputElement).value.trim();
      dialog.remove();
      asking = null;
      localStorage.setItem(KEY_STORE, key);
      resolve(key);
    });
    dialog.showModal();
  });
  return asking;
}

export function forgetKey(): void {
  localStorage.removeItem(KEY_STORE);
}

export const hasKey = (): boolean => !!localStorage.getItem(KEY_STORE);

async function request<T>(method: string, path: string, body?: unknown, attempt = 0): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = localStorage.getItem(KEY_STORE);
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'the server does not answer; is nextbest serve still running?');
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (res.ok) return json as T;
  const err = (json ?? {}) as { code?: string; message?: string };
  if (res.status === 401 && attempt < 3) {
    await askForKey(key ? `The server refused the key: ${err.message ?? ''}` : 'This server asks for an API key.');
    return request(method, path, body, attempt + 1);
  }
  throw new ApiError(res.status, err.code ?? 'HTTP_' + res.status, err.message ?? res.statusText);
}

/** A query string from the defined values (empty values left out). */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body ?? {});

/** Starts a training in the background and asks for its job every 400 ms, telling `onProgress` each state seen while it is queued or running; resolves with the job once done or failed. */
export async function trainAndWait(body: { model: string; params: Record<string, string>; name?: string; activate?: boolean }, onProgress: (job: Job) => void): Promise<Job> {
  let job = await post<Job>('/v1/models/train', body);
  while (job.state === 'queued' || job.state === 'running') {
    onProgress(job);
    await new Promise((r) => setTimeout(r, 400));
    job = await get<Job>(`/v1/models/jobs/${job.id}`);
  }
  return job;
}
