import { describe, expect, it, vi } from 'vitest';
import { ApiClient, parseVolumeAnswer, seriesRoute, summariseSeries } from './api';
import { ApiError } from './errors';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that answers from a table and records the calls. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    return answer(url, init);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('seriesRoute', () => {
  it('uses the default-volume routes for the default series or none', () => {
    expect(seriesRoute('patient-name', '', 'abc')).toBe('/api/patient-name');
    expect(seriesRoute('middle-slice', 'abc', 'abc')).toBe('/api/middle-slice');
    expect(seriesRoute('middle-slice', null, null)).toBe('/api/middle-slice');
  });

  it('uses the series routes for any other series, escaped', () => {
    expect(seriesRoute('patient-name', 'x-1', 'abc')).toBe('/api/series/x-1/patient-name');
    expect(seriesRoute('middle-slice', 'a/b', null)).toBe('/api/series/a%2Fb/middle-slice');
  });
});

describe('ApiClient: session', () => {
  it('me() gives the user, or null on 401 without reporting a lost session', async () => {
    const onSessionLost = vi.fn();
    const ok = new ApiClient({ fetch: fakeFetch(() => json(200, { username: 'ann', role: 'user' })).fetch, onSessionLost });
    expect(await ok.me()).toEqual({ username: 'ann', role: 'user' });
    const out = new ApiClient({ fetch: fakeFetch(() => json(401, { error: 'unauthenticated' })).fetch, onSessionLost });
    expect(await out.me()).toBeNull();
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('login() posts JSON and never caches', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { username: 'ann', role: 'user' }));
    const api = new ApiClient({ fetch });
    await api.login('ann', 's3cret pass');
    expect(calls[0].url).toBe('/api/auth/login');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ username: 'ann', password: 's3cret pass' });
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(calls[0].init.cache).toBe('no-store');
  });

  it('login() reports wrong credentials without a lost session', async () => {
    const onSessionLost = vi.fn();
    const api = new ApiClient({
      fetch: fakeFetch(() => json(401, { error: 'invalid_credentials', detail: 'wrong user name or password' })).fetch,
      onSessionLost,
    });
    const error = await failure(api.login('ann', 'nope'));
    expect(error.kind).toBe('invalid_credentials');
    expect(error.message).toBe('Wrong user name or password.');
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('login() reports the rate limit with its delay (503 + Retry-After, or 429)', async () => {
    const limited = new ApiClient({
      fetch: fakeFetch(() =>
        json(503, { error: 'too_many_attempts', detail: 'too many failed logins: try again in 58 s', retry_after_seconds: 58 }, { 'Retry-After': '58' }),
      ).fetch,
    });
    expect((await failure(limited.login('ann', 'x'))).message).toBe('Too many attempts, try again in 58 s');
    const real429 = new ApiClient({
      fetch: fakeFetch(() => new Response('', { status: 429, headers: { 'Retry-After': '9' } })).fetch,
    });
    expect((await failure(real429.login('ann', 'x'))).message).toBe('Too many attempts, try again in 9 s');
  });

  it('logout() posts, and an already ended session is fine', async () => {
    const { fetch, calls } = fakeFetch(() => json(401, { error: 'unauthenticated' }));
    const onSessionLost = vi.fn();
    await new ApiClient({ fetch, onSessionLost }).logout();
    expect(calls[0]).toMatchObject({ url: '/api/auth/logout', init: { method: 'POST' } });
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('reports a lost session on 401 and on the bare 403 of Orthanc routes, not on other 403s', async () => {
    const onSessionLost = vi.fn();
    const api401 = new ApiClient({ fetch: fakeFetch(() => json(401, { error: 'unauthenticated' })).fetch, onSessionLost });
    expect((await failure(api401.patientName('/api/patient-name'))).kind).toBe('unauthenticated');
    expect(onSessionLost).toHaveBeenCalledTimes(1);

    const api403 = new ApiClient({ fetch: fakeFetch(() => new Response(null, { status: 403 })).fetch, onSessionLost });
    expect((await failure(api403.listSeries())).kind).toBe('unauthenticated');
    expect(onSessionLost).toHaveBeenCalledTimes(3); // /series and /studies both answered 403

    const admin403 = new ApiClient({
      fetch: fakeFetch(() => json(403, { error: 'forbidden', detail: 'this route is for administrators' })).fetch,
      onSessionLost,
    });
    const error = await failure(admin403.patientName('/api/patient-name'));
    expect(error.kind).toBe('http');
    expect(error.message).toBe('This route is for administrators.');
    expect(onSessionLost).toHaveBeenCalledTimes(3);
  });

  it('reports network failures and unreadable answers in words', async () => {
    const offline = new ApiClient({
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch,
    });
    const error = await failure(offline.patientName('/api/patient-name'));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/Cannot reach the server/);

    const garbled = new ApiClient({ fetch: fakeFetch(() => new Response('<html>', { status: 200 })).fetch });
    expect((await failure(garbled.patientName('/api/patient-name'))).kind).toBe('invalid_answer');
  });

  it('reports an abort as such', async () => {
    const controller = new AbortController();
    const api = new ApiClient({
      fetch: ((_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        })) as unknown as typeof fetch,
    });
    const pending = failure(api.patientName('/api/patient-name', controller.signal));
    controller.abort();
    expect((await pending).kind).toBe('aborted');
  });
});

describe('ApiClient: stored volume', () => {
  it('patientName() reads the route it is given', async () => {
    const answer = {
      patient_name: 'C3N-01196',
      patient_name_parts: { family: 'C3N-01196', given: '', middle: '', prefix: '', suffix: '' },
      patient_id: 'C3N-01196',
      series: 'abc',
    };
    const { fetch, calls } = fakeFetch(() => json(200, answer));
    const api = new ApiClient({ fetch });
    expect(await api.patientName('/api/series/xyz/patient-name')).toEqual(answer);
    expect(calls[0].url).toBe('/api/series/xyz/patient-name');
  });

  it('middleSlice() gives the image blob and its position from the headers', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const { fetch, calls } = fakeFetch(
      () =>
        new Response(png, {
          status: 200,
          headers: { 'Content-Type': 'image/png', 'X-Slice-Index': '16', 'X-Slice-Count': '33', 'X-Slice-Series': 'abc' },
        }),
    );
    const api = new ApiClient({ fetch });
    const slice = await api.middleSlice('/api/middle-slice', { overlay: true });
    expect(calls[0].url).toBe('/api/middle-slice?overlay=threshold');
    expect(slice.blob.type).toBe('image/png');
    expect(slice.blob.size).toBe(4);
    expect(slice).toMatchObject({ index: 16, count: 33, series: 'abc' });

    await api.middleSlice('/api/series/x/middle-slice');
    expect(calls[1].url).toBe('/api/series/x/middle-slice');
  });

  it('middleSlice() refuses an answer that is not an image', async () => {
    const api = new ApiClient({ fetch: fakeFetch(() => json(200, { not: 'an image' })).fetch });
    expect((await failure(api.middleSlice('/api/middle-slice'))).kind).toBe('invalid_answer');
  });

  it('listSeries() joins series and studies', async () => {
    const { fetch, calls } = fakeFetch((url) =>
      url.startsWith('/series')
        ? json(200, [
            {
              ID: 's1',
              MainDicomTags: { SeriesDescription: 't1_mpr_tra_iso', Modality: 'MR', SeriesNumber: '11' },
              Instances: new Array(33).fill('i'),
              ParentStudy: 'st1',
            },
          ])
        : json(200, [
            {
              ID: 'st1',
              MainDicomTags: { StudyDescription: 'MR GLOWA', StudyDate: '20000919' },
              PatientMainDicomTags: { PatientName: 'C3N-01196', PatientID: 'C3N-01196' },
            },
          ]),
    );
    const list = await new ApiClient({ fetch }).listSeries();
    expect(calls.map((call) => call.url).sort()).toEqual(['/series?expand', '/studies?expand']);
    expect(list).toEqual([
      {
        id: 's1',
        description: 't1_mpr_tra_iso',
        modality: 'MR',
        seriesNumber: '11',
        instanceCount: 33,
        studyId: 'st1',
        studyDescription: 'MR GLOWA',
        studyDate: '20000919',
        patientName: 'C3N-01196',
        patientId: 'C3N-01196',
      },
    ]);
  });
});

describe('summariseSeries', () => {
  it('sorts by patient, date and series number, and survives odd entries', () => {
    const list = summariseSeries(
      [
        { ID: 'b', MainDicomTags: { SeriesNumber: '10' }, ParentStudy: 'st' },
        { ID: 'a', MainDicomTags: { SeriesNumber: '9' }, ParentStudy: 'st' },
        null,
        { no: 'id' },
        { ID: 'c', ParentStudy: 'other' },
      ],
      [{ ID: 'st', PatientMainDicomTags: { PatientName: 'Doe^Jane' } }],
    );
    expect(list.map((series) => series.id)).toEqual(['c', 'a', 'b']);
    expect(list[1].patientName).toBe('Doe, Jane');
    expect(list[0]).toMatchObject({ patientName: '', instanceCount: 0, description: '' });
  });

  it('refuses an answer that is not a list', () => {
    expect(() => summariseSeries({ not: 'a list' }, [])).toThrow(ApiError);
  });
});

/** Just enough of XMLHttpRequest for uploadPreview. */
class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  responseType = '';
  responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  // test helpers
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }
  answer(status: number, text: string, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseText = text;
    this.responseHeaders = headers;
    this.onload?.();
  }
}

function uploadClient(onSessionLost = vi.fn()) {
  return new ApiClient({ createXhr: () => new FakeXhr() as unknown as XMLHttpRequest, onSessionLost });
}

const volumeAnswer = {
  pixels_above_threshold: 50080,
  threshold: 0.5,
  volume_mm3: 143280.029296875,
  voxel_volume_mm3: 2.86102294921875,
  rows: 512,
  columns: 512,
  frames: 1,
  pixel_spacing_mm: [0.9765625, 0.9765625],
  slice_thickness_mm: 3,
  preview_png: 'data:image/png;base64,iVBORw0KGgo=',
};

describe('ApiClient.uploadPreview', () => {
  it('POSTs the raw file as application/dicom (no FormData) and reports progress', async () => {
    const file = new Blob([new Uint8Array(10)]);
    const progress: (number | null)[] = [];
    const pending = uploadClient().uploadPreview(file, { onProgress: (fraction) => progress.push(fraction) });
    const xhr = FakeXhr.last;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/volume/preview');
    expect(xhr.headers['Content-Type']).toBe('application/dicom');
    expect(xhr.body).toBe(file);
    expect(xhr.body).not.toBeInstanceOf(FormData);
    xhr.progress(5, 10);
    xhr.progress(10, 10);
    xhr.answer(200, JSON.stringify(volumeAnswer));
    expect(await pending).toEqual(volumeAnswer);
    expect(progress).toEqual([0.5, 1]);
  });

  it('gives the server detail in words for a refused file', async () => {
    const pending = uploadClient().uploadPreview(new Blob(['hello']));
    FakeXhr.last.answer(400, JSON.stringify({ error: 'not_dicom', detail: 'the file is not a DICOM file' }));
    const error = await failure(pending);
    expect(error.message).toBe('The file is not a DICOM file.');
    expect(error.code).toBe('not_dicom');
  });

  it('explains 413, empty and non-JSON bodies, network errors', async () => {
    let pending = uploadClient().uploadPreview(new Blob(['x']));
    FakeXhr.last.answer(413, '');
    expect((await failure(pending)).message).toBe('The file is too large for the server.');

    pending = uploadClient().uploadPreview(new Blob(['x']));
    FakeXhr.last.answer(500, '');
    expect((await failure(pending)).message).toBe('The server hit an unexpected error (HTTP 500).');

    pending = uploadClient().uploadPreview(new Blob(['x']));
    FakeXhr.last.answer(502, '<html><h1>502 Bad Gateway</h1></html>');
    expect((await failure(pending)).message).toMatch(/not reachable/);

    pending = uploadClient().uploadPreview(new Blob(['x']));
    FakeXhr.last.onerror?.();
    expect((await failure(pending)).kind).toBe('network');

    pending = uploadClient().uploadPreview(new Blob(['x']));
    FakeXhr.last.answer(0, '');
    expect((await failure(pending)).kind).toBe('network');

    pending = uploadClient().uploadPreview(new Blob(['x']));
    FakeXhr.last.answer(200, 'not json');
    expect((await failure(pending)).kind).toBe('invalid_answer');
  });

  it('reports a lost session', async () => {
    const onSessionLost = vi.fn();
    const pending = uploadClient(onSessionLost).uploadPreview(new Blob(['x']));
    FakeXhr.last.answer(401, JSON.stringify({ error: 'unauthenticated', detail: 'log in first' }));
    expect((await failure(pending)).kind).toBe('unauthenticated');
    expect(onSessionLost).toHaveBeenCalledOnce();
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const pending = uploadClient().uploadPreview(new Blob(['x']), { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).kind).toBe('aborted');
    const already = uploadClient().uploadPreview(new Blob(['x']), { signal: controller.signal });
    expect((await failure(already)).kind).toBe('aborted');
  });
});

describe('parseVolumeAnswer', () => {
  it('accepts an answer with a null volume and warnings', () => {
    const answer = parseVolumeAnswer(
      JSON.stringify({ pixels_above_threshold: 12, threshold: 0.5, volume_mm3: null, voxel_volume_mm3: null, warnings: ['no PixelSpacing'] }),
    );
    expect(answer?.volume_mm3).toBeNull();
    expect(answer?.warnings).toEqual(['no PixelSpacing']);
  });

  it('refuses what is not a volume answer, and drops a preview that is not a PNG data URI', () => {
    expect(parseVolumeAnswer('[]')).toBeNull();
    expect(parseVolumeAnswer('{"threshold":0.5}')).toBeNull();
    expect(parseVolumeAnswer('')).toBeNull();
    const answer = parseVolumeAnswer(
      JSON.stringify({ pixels_above_threshold: 1, threshold: 0.5, volume_mm3: 1, preview_png: 'javascript:alert(1)' }),
    );
    expect(answer?.preview_png).toBeUndefined();
    expect(parseVolumeAnswer(JSON.stringify({ pixels_above_threshold: 1, threshold: 0.5, warnings: 'one' }))?.warnings).toEqual(['one']);
  });
});
