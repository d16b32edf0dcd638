import { describe, expect, it } from 'vitest';
import {
  ApiError,
  failureFromAnswer,
  isSessionLoss,
  limitBytes,
  messageOf,
  parseJsonObject,
  plainDetail,
  retryAfterSeconds,
} from './errors';

describe('plainDetail', () => {
  it('turns the server detail into a sentence', () => {
    expect(plainDetail('the file is not a DICOM file')).toBe('The file is not a DICOM file.');
    expect(plainDetail('Already a sentence.')).toBe('Already a sentence.');
  });

  it('keeps the first line only and bounds the length', () => {
    expect(plainDetail('boom\n    at frame1\n    at frame2')).toBe('Boom.');
    const long = plainDetail('x'.repeat(1000));
    expect(long?.length).toBeLessThanOrEqual(300);
    expect(long?.endsWith('…')).toBe(true);
  });

  it('ignores anything but a non-empty string', () => {
    expect(plainDetail({ nested: 'object' })).toBeNull();
    expect(plainDetail(['a'])).toBeNull();
    expect(plainDetail(42)).toBeNull();
    expect(plainDetail('   ')).toBeNull();
    expect(plainDetail(undefined)).toBeNull();
  });
});

describe('parseJsonObject', () => {
  it('reads JSON objects only', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonObject('[1]')).toBeNull();
    expect(parseJsonObject('null')).toBeNull();
    expect(parseJsonObject('<html>502 Bad Gateway</html>')).toBeNull();
    expect(parseJsonObject('')).toBeNull();
    expect(parseJsonObject(null)).toBeNull();
  });
});

describe('retryAfterSeconds', () => {
  it('prefers the JSON retry_after_seconds', () => {
    expect(retryAfterSeconds('99', { retry_after_seconds: 42 })).toBe(42);
    expect(retryAfterSeconds(null, { retry_after_seconds: 0.2 })).toBe(1);
  });

  it('reads the Retry-After header in seconds or as a date', () => {
    expect(retryAfterSeconds('17', null)).toBe(17);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:30 GMT', null, now)).toBe(30);
    expect(retryAfterSeconds('soon', null)).toBeNull();
    expect(retryAfterSeconds(null, null)).toBeNull();
  });
});

describe('isSessionLoss', () => {
  it('is a 401, or the bare 403 of Orthanc routes', () => {
    expect(isSessionLoss(401, '{"error":"unauthenticated"}')).toBe(true);
    expect(isSessionLoss(403, '')).toBe(true);
    expect(isSessionLoss(403, '  ')).toBe(true);
    expect(isSessionLoss(403, '{"error":"forbidden","detail":"this route is for administrators"}')).toBe(false);
    expect(isSessionLoss(404, '')).toBe(false);
  });
});

describe('failureFromAnswer', () => {
  it('says "Too many attempts, try again in N s" for our 503 rate limit', () => {
    const body = JSON.stringify({
      error: 'too_many_attempts',
      detail: 'too many failed logins: try again in 37 s',
      retry_after_seconds: 37,
    });
    const failure = failureFromAnswer(503, body, '37', 'login');
    expect(failure.kind).toBe('rate_limited');
    expect(failure.retryAfterSeconds).toBe(37);
    expect(failure.message).toBe('Too many attempts, try again in 37 s');
  });

  it('treats a real 429 the same way, with the header alone', () => {
    const failure = failureFromAnswer(429, '', '12', 'login');
    expect(failure.kind).toBe('rate_limited');
    expect(failure.message).toBe('Too many attempts, try again in 12 s');
    expect(failureFromAnswer(429, 'Too Many Requests', null, 'login').message).toBe(
      'Too many attempts, try again later',
    );
  });

  it('says wrong user name or password for a 401 at login', () => {
    const failure = failureFromAnswer(401, '{"error":"invalid_credentials","detail":"wrong user name or password"}', null, 'login');
    expect(failure.kind).toBe('invalid_credentials');
    expect(failure.message).toBe('Wrong user name or password.');
  });

  it('reports a lost session elsewhere', () => {
    expect(failureFromAnswer(401, '{"error":"unauthenticated"}', null).kind).toBe('unauthenticated');
    expect(failureFromAnswer(403, '', null).kind).toBe('unauthenticated');
  });

  it('uses the server detail for other errors', () => {
    const failure = failureFromAnswer(400, '{"error":"not_dicom","detail":"the file is not a DICOM file"}', null, 'upload');
    expect(failure.kind).toBe('http');
    expect(failure.code).toBe('not_dicom');
    expect(failure.message).toBe('The file is not a DICOM file.');
  });

  it("uses Orthanc's own Message when there is no detail", () => {
    const body = '{"HttpError":"Not Found","HttpStatus":404,"Message":"Unknown resource"}';
    expect(failureFromAnswer(404, body, null).message).toBe('Unknown resource.');
  });

  it('explains 413 in plain words, with the limit the server gives in limit_bytes', () => {
    // The server as shipped: MaxUploadMegabytes 512 (orthanc-config/orthanc.json).
    const body = JSON.stringify({
      error: 'upload_too_large',
      detail: 'the upload has 600 MiB; the limit is 512 MiB (MedicalImageServer.MaxUploadMegabytes)',
      limit_bytes: 536_870_912,
    });
    const failure = failureFromAnswer(413, body, null, 'upload');
    expect(failure.kind).toBe('too_large');
    expect(failure.code).toBe('upload_too_large');
    expect(failure.message).toBe('The file is too large for the server (the limit is 512 MiB).');
    // The login's fixed limit (openapi.json: 64 KiB).
    expect(failureFromAnswer(413, '{"error":"body_too_large","detail":"x","limit_bytes":65536}', null).message).toBe(
      'The file is too large for the server (the limit is 64 KiB).',
    );
    // nginx's own 413 (a body above its client_max_body_size) names no limit.
    expect(failureFromAnswer(413, '<html><body>413 Request Entity Too Large</body></html>', null).message).toBe(
      'The file is too large for the server.',
    );
  });

  it('reads the limit from limit_bytes only, never out of the English detail', () => {
    const detailOnly = '{"error":"upload_too_large","detail":"the limit is 512 MiB"}';
    expect(failureFromAnswer(413, detailOnly, null).message).toBe('The file is too large for the server.');
    for (const odd of ['"512"', '-1', '0', '1.5', '1e300', 'null', '[1]']) {
      const body = parseJsonObject(`{"error":"upload_too_large","detail":"x","limit_bytes":${odd}}`);
      expect(limitBytes(body), odd).toBeNull();
    }
    expect(limitBytes(null)).toBeNull();
  });

  it('never shows raw bodies, objects or empty text', () => {
    const cases: [number, string][] = [
      [500, ''],
      [500, 'Traceback (most recent call last):\n  File "x"'],
      [502, '<html>Bad Gateway</html>'],
      [422, '{"error":"x","detail":{"nested":true}}'],
      [400, '{"detail":["a","b"]}'],
      [418, 'I am a teapot'],
    ];
    for (const [status, body] of cases) {
      const message = failureFromAnswer(status, body, null).message;
      expect(message).not.toMatch(/object Object|Traceback|<html|\{|^$/);
      expect(message.length).toBeGreaterThan(10);
    }
    expect(failureFromAnswer(500, '', null).message).toBe('The server hit an unexpected error (HTTP 500).');
    expect(failureFromAnswer(422, '{"detail":{"nested":true}}', null).message).toBe('The server cannot analyse this file.');
  });
});

describe('messageOf', () => {
  it('gives the ApiError message, and a generic sentence for anything else', () => {
    expect(messageOf(new ApiError('network', 'Cannot reach the server.'))).toBe('Cannot reach the server.');
    expect(messageOf(new TypeError('x is undefined'))).toBe('Something went wrong in the page. Reload it and try again.');
    expect(messageOf({ some: 'object' })).not.toContain('[object Object]');
  });
});
