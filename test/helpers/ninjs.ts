import { readFileSync } from "node:fs";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

// ajv and ajv-formats are CommonJS: under NodeNext their default export is the module object.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/**
 * IPTC's own ninjs 3.1 schema (test/fixtures/ninjs/): a newsroom system that validates what it
 * takes in must take our items, events, feeds and webhook bodies.
 */
const schema = JSON.parse(
  readFileSync(new URL("../fixtures/ninjs/ninjs-schema_3.1.json", import.meta.url), "utf8"),
);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
// The schema points at GeoJSON by URL for places' geometry; tests fetch nothing.
ajv.addSchema({ $id: "https://geojson.org/schema/GeoJSON.json", type: "object" });
const validate = ajv.compile(schema);

export function expectValidNinjs(document: unknown): void {
  const valid = validate(document);
  expect(validate.errors ?? [], JSON.stringify(document, null, 2)).toEqual([]);
  expect(valid).toBe(true);
}
