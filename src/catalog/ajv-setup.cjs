// The one ajv configuration, shared by the run-time compile and the build-time standalone compile.
"use strict";

const Ajv2020 = require("ajv/dist/2020").default;

/** Annotation keywords of our schemas (and of their graded copies): ignored by validation; the graded check reads x-severity and x-missing from errors. */
const ANNOTATIONS = ["x-confidence", "x-order", "x-source", "x-expected", "x-severity", "x-missing"];

function createAjv(options = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, ...options });
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });
  return ajv;
}

module.exports = { createAjv, ANNOTATIONS };
