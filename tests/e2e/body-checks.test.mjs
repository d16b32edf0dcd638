// The front's JSON nesting check (orthanc-config/front/body-checks.mjs, run by
// nginx's njs) on its own: what it counts, what it skips, where it stops.
// Through the front, with Orthanc behind it, in front.test.mjs.
import assert from 'node:assert/strict';
import test from 'node:test';

import bodyChecks from '../../orthanc-config/front/body-checks.mjs';

const { MAX_DEPTH, nestingDepth, asksForTraceLogging } = bodyChecks;
const depthOf = (text, limit = 1000) => nestingDepth(Buffer.from(text, 'latin1'), limit);

test('counts arrays and objects, the way a JSON parser nests them', () => {
  assert.equal(depthOf('1'), 0);
  assert.equal(depthOf('[]'), 1);
  assert.equal(depthOf('{"a": [1, {"b": [[]]}], "c": {}}'), 5);
  assert.equal(depthOf('['.repeat(300) + ']'.repeat(300)), 300);
  // Unclosed: the parser recurses before it finds the end missing.
  assert.equal(depthOf('['.repeat(300)), 300);
});

test('stops counting once past the limit', () => {
  assert.equal(nestingDepth(Buffer.from('['.repeat(1_000_000)), MAX_DEPTH), MAX_DEPTH + 1);
  assert.equal(nestingDepth(Buffer.from('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)), MAX_DEPTH), MAX_DEPTH);
});

test('brackets in strings and comments do not count; comments cannot hide real ones', () => {
  assert.equal(depthOf('["[[[[", "\\"[[[", "\\\\"]'), 1);
  assert.equal(depthOf('{"a": "]]]]"}'), 1);
  assert.equal(depthOf('/* [[[[ */ [1] // [[[[\n'), 1);
  assert.equal(depthOf('[/**/[/* ] */[//]]\n[]]]]'), 4);
  assert.equal(depthOf('\xef\xbb\xbf[[1]]'), 2, 'a UTF-8 byte order mark is skipped');
});

test('stops where a parser would refuse the text', () => {
  // Binary data (an attachment, a ZIP) is not JSON: its brackets are not nesting.
  assert.equal(depthOf('[\x00' + '['.repeat(300)), 1);
  assert.equal(depthOf('[]]' + '['.repeat(300)), 1, 'a bracket that closes nothing');
  assert.equal(depthOf('[\xff' + '['.repeat(300)), 1);
  // What JsonCpp reads between tokens does not stop the count.
  assert.equal(depthOf('[ true, false, null, -1.5e+3, NaN, Infinity,\t\r\n[ ] ]'), 2);
});

test('the trace log level is refused, every other one goes through', () => {
  const asks = (method, uri, text) => asksForTraceLogging(uri, Buffer.from(text));
  assert.equal(asks('PUT', '/tools/log-level', 'trace'), true);
  assert.equal(asks('PUT', '/tools/log-level', ' TRACE\n'), true);
  assert.equal(asks('PUT', '/tools/log-level-http', 'trace'), true);
  assert.equal(asks('POST', '/tools/log-level-plugins/', 'trace'), true);
  assert.equal(asks('GET', '/tools/log-level', 'trace'), true, 'X-HTTP-Method-Override may make it a PUT');
  assert.equal(asks('PUT', '/tools/log-level', 'verbose'), false);
  assert.equal(asks('PUT', '/tools/log-level', 'default'), false);
  assert.equal(asks('PUT', '/tools/find', 'trace'), false);
  assert.equal(asks('PUT', '/tools/log-level/x', 'trace'), false);
});
