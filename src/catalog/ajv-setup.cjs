// The one ajv configuration, shared by the run-time compile and the build-time standalone compile.
"use strict";

const Ajv2020 = require("ajv/dist/2020").default;

/** Annotation keywords of our schemas: documentation for people, ignored by validation. */
const ANNOTATIONS = ["x-confidence", "x-order", "x-source"];

function createAjv(options = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, ...options });
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });
  return ajv;
}

module.exports = { createAjv, ANNOTATIONS };
