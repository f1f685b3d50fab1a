'use strict';
// A target with a planted untyped crash behind a comparison: the harness test checks that
// the fuzzer, guided by Jazzer.js's comparison tracing, finds it and reports it.
module.exports.fuzz = function fuzz(data) {
  const text = data.toString('latin1');
  if (text.length >= 8 && text.slice(0, 8) === 'PLANTED!') throw new TypeError('planted bug');
};
