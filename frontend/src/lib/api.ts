// The server's API as the UI uses it. Same origin: the session cookie
// (HttpOnly, SameSite=Strict) rides along on every request by itself.

import {
  ApiError,
  abortedFailure,
  failureFromAnswer,
  invalidAnswer,
  networkFailure,
  type RequestContext,
} from './errors';
import { formatDicomPersonName, parsePixelSpacing, parseSliceHeaders } from './format';
import type { components } from '../generated/openapi';

// Our routes' answers as plugin/resources/openapi.json describes them: the
// types are generated from that document (npm run api-types), never copied.
type Schemas = components['schemas'];

/** Who is logged in, as POST /api/auth/login answers it (GET /api/auth/me too). */
export type User = Schemas['LoginAnswer'];
export type PatientName = Schemas['PatientName'];

/**
 * POST /api/volume/preview as the page reads it (parseVolumeAnswer): the
 * count and the threshold checked; the rest as the document says, but left
 * out where absent, and the preview only when it is a PNG data URI.
 */
export type VolumeAnswer = Pick<Schemas['PreviewVolumeAnswer'], 'pixels_above_threshold' | 'threshold'> &
  Partial<Schemas['PreviewVolumeAnswer']>;

export interface SliceImage {
  blob: Blob;
  index: number | null;
  count: number | null;
  series: string | null;
  /** PixelSpacing in mm (row, column), from X-Pixel-Spacing; null if unknown. */
  pixelSpacing: { row: number; column: number } | null;
}

// From Orthanc's own REST API (GET /series, /studies), which our document does
// not describe: the selector's summary of a series.
export interface SeriesSummary {
  id: string;
  description: string;
  modality: string;
  seriesNumber: string;
  instanceCount: number;
  studyId: string;
  studyDescription: string;
  studyDate: string;
  patientName: string;
  patientId: string;
}

export interface ClientOptions {
  /** Prefix of every path ("" on the server's own origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
  createXhr?: () => XMLHttpRequest;
  /** Called once per request whose answer means the session is gone. */
  onSessionLost?: () => void;
}

interface RequestOptions {
  method?: string;
  json?: unknown;
  signal?: AbortSignal;
  context?: RequestContext;
  /** A 401 here is an answer, not a lost session (login, me). */
  expectsUnauthenticated?: boolean;
}

/** The route of the default volume, or of the chosen series. */
export function seriesRoute(
  what: 'patient-name' | 'middle-slice',
  seriesId: string | null | undefined,
  defaultSeriesId: string | null | undefined,
): string {
  if (!seriesId || seriesId === defaultSeriesId) return `/api/${what}`;
  return `/api/series/${encodeURIComponent(seriesId)}/${what}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Joins GET /series?expand and GET /studies?expand into selector entries. */
export function summariseSeries(seriesList: unknown, studiesList: unknown): SeriesSummary[] {
  if (!Array.isArray(seriesList)) throw invalidAnswer();
  const studies = new Map<string, Record<string, unknown>>();
  if (Array.isArray(studiesList)) {
    for (const study of studiesList) {
      if (isObject(study) && typeof study.ID === 'string') studies.set(study.ID, study);
    }
  }
  const summaries: SeriesSummary[] = [];
  for (const series of seriesList) {
    if (!isObject(series) || typeof series.ID !== 'string') continue;
    const tags = isObject(series.MainDicomTags) ? series.MainDicomTags : {};
    const studyId = text(series.ParentStudy);
    const study = studies.get(studyId);
    const studyTags = study && isObject(study.MainDicomTags) ? study.MainDicomTags : {};
    const patientTags = study && isObject(study.PatientMainDicomTags) ? study.PatientMainDicomTags : {};
    summaries.push({
      id: series.ID,
      description: text(tags.SeriesDescription),
      modality: text(tags.Modality),
      seriesNumber: text(tags.SeriesNumber),
      instanceCount: Array.isArray(series.Instances) ? series.Instances.length : 0,
      studyId,
      studyDescription: text(studyTags.StudyDescription),
      studyDate: text(studyTags.StudyDate),
      patientName: formatDicomPersonName(text(patientTags.PatientName)),
      patientId: text(patientTags.PatientID),
    });
  }
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return summaries.sort(
    (a, b) =>
      collator.compare(a.patientName, b.patientName) ||
      collator.compare(a.studyDate, b.studyDate) ||
      collator.compare(a.seriesNumber, b.seriesNumber) ||
      collator.compare(a.description, b.description) ||
      collator.compare(a.id, b.id),
  );
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly createXhr: () => XMLHttpRequest;
  onSessionLost: (() => void) | undefined;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.createXhr = options.createXhr ?? (() => new XMLHttpRequest());
    this.onSessionLost = options.onSessionLost;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** The logged-in user, or null when the browser has no valid session. */
  async me(signal?: AbortSignal): Promise<Schemas['Me'] | null> {
    try {
      return await this.json<Schemas['Me']>('/api/auth/me', { signal, expectsUnauthenticated: true });
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'unauthenticated') return null;
      throw error;
    }
  }

  login(username: string, password: string): Promise<User> {
    const credentials: Schemas['LoginRequest'] = { username, password };
    return this.json<User>('/api/auth/login', {
      method: 'POST',
      json: credentials,
      context: 'login',
      expectsUnauthenticated: true,
    });
  }

  /** Ends the session on the server; an already ended session is fine too. */
  async logout(): Promise<void> {
    try {
      await this.request('/api/auth/logout', { method: 'POST', expectsUnauthenticated: true });
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'unauthenticated') return;
      throw error;
    }
  }

  /** Which series is the default volume (an id only: no patient data is read). */
  defaultSeries(signal?: AbortSignal): Promise<Schemas['DefaultSeries']> {
    return this.json<Schemas['DefaultSeries']>('/api/default-series', { signal });
  }

  patientName(route: string, signal?: AbortSignal): Promise<PatientName> {
    return this.json<PatientName>(route, { signal });
  }

  /** The middle slice as a blob, with its position from the X-Slice-* headers. */
  async middleSlice(
    route: string,
    options: { overlay?: boolean; signal?: AbortSignal } = {},
  ): Promise<SliceImage> {
    const path = options.overlay ? `${route}?overlay=threshold` : route;
    const response = await this.request(path, { signal: options.signal });
    let blob: Blob;
    try {
      blob = await response.blob();
    } catch (error) {
      throw this.readFailure(error, options.signal);
    }
    if (!blob.type.startsWith('image/') || blob.size === 0) throw invalidAnswer();
    const { index, count } = parseSliceHeaders(response.headers);
    return {
      blob,
      index,
      count,
      series: response.headers.get('X-Slice-Series'),
      pixelSpacing: parsePixelSpacing(response.headers.get('X-Pixel-Spacing')),
    };
  }

  /** Every stored series (Orthanc's REST API), with its patient and study. */
  async listSeries(signal?: AbortSignal): Promise<SeriesSummary[]> {
    const [series, studies] = await Promise.all([
      this.json<unknown>('/series?expand', { signal }),
      this.json<unknown>('/studies?expand', { signal }),
    ]);
    return summariseSeries(series, studies);
  }

  /**
   * Uploads one DICOM file as the raw body of POST /api/volume/preview
   * (not FormData: Orthanc 1.10 swallows multipart POSTs). XMLHttpRequest,
   * because fetch cannot report upload progress.
   */
  uploadPreview(
    file: Blob,
    options: { onProgress?: (fraction: number | null) => void; signal?: AbortSignal } = {},
  ): Promise<VolumeAnswer> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(abortedFailure());
        return;
      }
      const xhr = this.createXhr();
      const onAbortSignal = () => xhr.abort();
      const settle = () => options.signal?.removeEventListener('abort', onAbortSignal);
      xhr.open('POST', this.url('/api/volume/preview'));
      xhr.setRequestHeader('Content-Type', 'application/dicom');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.responseType = 'text';
      xhr.upload.onprogress = (event: ProgressEvent) => {
        options.onProgress?.(event.lengthComputable && event.total > 0 ? event.loaded / event.total : null);
      };
      xhr.onload = () => {
        settle();
        const body = typeof xhr.responseText === 'string' ? xhr.responseText : '';
        if (xhr.status >= 200 && xhr.status < 300) {
          const answer = parseVolumeAnswer(body);
          if (answer) resolve(answer);
          else reject(invalidAnswer());
          return;
        }
        if (xhr.status === 0) {
          reject(networkFailure());
          return;
        }
        const failure = failureFromAnswer(xhr.status, body, xhr.getResponseHeader('Retry-After'), 'upload');
        if (failure.kind === 'unauthenticated') this.onSessionLost?.();
        reject(failure);
      };
      xhr.onerror = () => {
        settle();
        reject(networkFailure());
      };
      xhr.ontimeout = () => {
        settle();
        reject(networkFailure());
      };
      xhr.onabort = () => {
        settle();
        reject(abortedFailure());
      };
      options.signal?.addEventListener('abort', onAbortSignal, { once: true });
      xhr.send(file);
    });
  }

  private async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(path, options);
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw this.readFailure(error, options.signal);
    }
    try {
      return JSON.parse(body) as T;
    } catch {
      throw invalidAnswer();
    }
  }

  private readFailure(error: unknown, signal?: AbortSignal): ApiError {
    if (signal?.aborted || (error instanceof DOMException && error.name === 'AbortError')) {
      return abortedFailure();
    }
    return networkFailure();
  }

  private async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), {
        method: options.method ?? 'GET',
        headers,
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (error) {
      throw this.readFailure(error, options.signal);
    }
    if (response.ok) return response;

    let bodyText = '';
    try {
      bodyText = await response.text();
    } catch {
      // an unreadable error body is described by its status alone
    }
    const failure = failureFromAnswer(
      response.status,
      bodyText,
      response.headers.get('Retry-After'),
      options.context ?? 'default',
    );
    if (failure.kind === 'unauthenticated' && !options.expectsUnauthenticated) {
      this.onSessionLost?.();
    }
    throw failure;
  }
}

/** The volume answer if the body is one (a count and a threshold at least). */
export function parseVolumeAnswer(body: string): VolumeAnswer | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  if (typeof value.pixels_above_threshold !== 'number' || typeof value.threshold !== 'number') {
    return null;
  }
  const answer = value as unknown as VolumeAnswer;
  if (answer.warnings !== undefined && !Array.isArray(answer.warnings)) {
    answer.warnings = [String(answer.warnings)];
  }
  if (typeof answer.preview_png === 'string' && !answer.preview_png.startsWith('data:image/png;base64,')) {
    delete answer.preview_png;
  }
  return answer;
}
