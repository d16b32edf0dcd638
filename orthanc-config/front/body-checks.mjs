// The front's checks of request bodies bound for Orthanc's own routes (njs,
// nginx's JavaScript module; front.conf.template, location @orthanc_body).
//
// Orthanc and its DICOMweb plugin parse what they receive recursively, on
// HTTP threads of 100 KiB of stack (Debian's civetweb), and neither lets a
// plugin see a body before they parse it:
//  - JSON: about 250 levels of "[" end the process. The front refuses a body
//    nested deeper than MAX_DEPTH levels with 400 before Orthanc reads it.
//    Our own /api routes bound their JSON in the plugin (ReadJsonText, the
//    same figure).
//  - DICOM files (STOW-RS, POST /instances): the DICOMweb plugin reads each
//    file before storing it, and a file nesting 50 sequences ends the
//    process; Orthanc stores a REST upload only after the plugin's own
//    check, whose refusal is a failed store (500). The front asks the plugin
//    (POST /api/upload-check, with the body) and forwards the body only on
//    its 200, so the client gets the plugin's 400 or 413 with its reason.
//  - Orthanc's "trace" log level writes credentials to the log: the front
//    refuses to turn it on through the REST API.
//
// Written for njs 0.7 (Debian 12) and 0.8 (Debian 13): a module with a default
// export only; Node's test runner imports it too (tests/e2e/body-checks.test.mjs).

// Levels of arrays and objects a body may nest. Orthanc's requests need a
// handful (a DICOM sequence takes two: an array of objects).
const MAX_DEPTH = 64;

// Bytes that may stand between tokens of JSON text (RFC 8259 §2) or start
// one: whitespace, structure, numbers, literals (letters, for true, false,
// null and JsonCpp's NaN and Infinity), a string's quote and a comment's
// slash (JsonCpp reads comments). A parser refuses any other byte there, so
// nothing after it can nest deeper.
function mayStandBetweenTokens(byte) {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d ||
    byte === 0x5b || byte === 0x5d || byte === 0x7b || byte === 0x7d || byte === 0x2c ||
    byte === 0x3a || byte === 0x22 || byte === 0x2f || byte === 0x2b || byte === 0x2d ||
    byte === 0x2e || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a);
}

// The deepest nesting of arrays and objects in `bytes` (a Buffer or
// Uint8Array) that a JSON parser could reach, counted without recursion:
// brackets inside strings and comments do not count, and counting stops at
// the first byte a parser would refuse between tokens, or once `limit` is
// passed (returning limit + 1). Never less than what the parser reaches, so
// a body it returns at most `limit` for cannot take the parser deeper.
function nestingDepth(bytes, limit) {
  let depth = 0;
  let deepest = 0;
  let i = 0;
  // A UTF-8 byte order mark, which JsonCpp skips.
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === 0x22) {  // a string: to its closing quote, escapes skipped
      i += 1;
      while (i < bytes.length && bytes[i] !== 0x22) i += bytes[i] === 0x5c ? 2 : 1;
      i += 1;
      continue;
    }
    if (byte === 0x2f && bytes[i + 1] === 0x2a) {  // /* comment */
      i += 2;
      while (i < bytes.length && !(bytes[i] === 0x2a && bytes[i + 1] === 0x2f)) i += 1;
      i += 2;
      continue;
    }
    if (byte === 0x2f && bytes[i + 1] === 0x2f) {  // // comment, to the end of the line
      while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i += 1;
      continue;
    }
    if (!mayStandBetweenTokens(byte)) break;
    if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return limit + 1;
    } else if (byte === 0x5d || byte === 0x7d) {
      if (depth === 0) break;  // closes nothing: the parser stops here
      depth -= 1;
    }
    i += 1;
  }
  return deepest;
}

// The front's JSON error, as every answer of the server: {"error", "detail",
// figures...}.
function refuse(r, status, code, detail, figures) {
  r.headersOut['Content-Type'] = 'application/json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(status, JSON.stringify(Object.assign({ error: code, detail: detail }, figures || {})));
}

// Whether a request asks Orthanc for its "trace" log level (PUT
// /tools/log-level, or /tools/log-level-<category>; whatever the method says,
// since an override may make it a PUT): at that level Orthanc writes every
// request's raw Authorization and Cookie headers to its log.
function asksForTraceLogging(uri, bytes) {
  if (!/^\/tools\/log-level(-[^/]*)?\/?$/.test(uri)) return false;
  let text = '';
  for (let i = 0; i < bytes.length && i < 64; i += 1) text += String.fromCharCode(bytes[i]);
  return text.trim().toLowerCase() === 'trace';
}

// The JSON check: the body, read by nginx into memory, goes on to Orthanc
// unless it nests too deep (or turns on trace logging).
function checkJson(r) {
  const body = r.requestBuffer;
  if (body === undefined && r.variables.request_body_file) {
    // Above client_body_buffer_size: written to a file, not checked.
    refuse(r, 413, 'body_too_large', 'a body for this route is limited to 32 MiB',
      { limit_bytes: 32 * 1024 * 1024 });
    return;
  }
  if (body !== undefined && asksForTraceLogging(r.uri, body)) {
    refuse(r, 403, 'trace_logging_refused',
      'the trace log level writes credentials (Authorization, Cookie) to the log: ' +
      'an administrator may start Orthanc with --trace on the server itself');
    return;
  }
  if (body !== undefined && nestingDepth(body, MAX_DEPTH) > MAX_DEPTH) {
    refuse(r, 400, 'json_too_deep',
      'the body nests arrays and objects more than ' + MAX_DEPTH + ' levels deep',
      { max_depth: MAX_DEPTH });
    return;
  }
  r.internalRedirect('@orthanc_checked_body');
}

// The DICOM check: the plugin's verdict on the body's files, which the
// client gets as it is unless the files can be read.
async function checkDicom(r) {
  const verdict = await r.subrequest('/.mis-front/upload-check', { method: 'POST' });
  if (verdict.status === 200) {
    r.internalRedirect('@orthanc_checked_body');
    return;
  }
  if (verdict.status >= 500) {  // no verdict (the server does not answer): fail closed
    refuse(r, 503, 'unavailable', 'the upload could not be checked: try again later');
    return;
  }
  r.headersOut['Content-Type'] = 'application/json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(verdict.status, verdict.responseText);
}

// js_content of @orthanc_body: which check, as front.conf.template's
// $mis_orthanc_body_check says.
function checkBody(r) {
  if (r.variables.mis_orthanc_body_check === 'dicom') return checkDicom(r);
  return checkJson(r);
}

export default { MAX_DEPTH, nestingDepth, asksForTraceLogging, checkBody };
