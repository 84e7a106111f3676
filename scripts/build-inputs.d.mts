// Types of scripts/build-inputs.mjs, for the TypeScript tests that use it.
export declare const BUILD_INPUTS_FILE: string;
export declare function buildInputsHash(root: string): string;
