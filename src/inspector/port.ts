// The inspector's default port, in a module of its own: `listen --no-ui` reads it without loading the inspector.

/** `--ui-port`'s default (ngrok's inspector is on 4040, listen on 4010). */
export const DEFAULT_UI_PORT = 4011;
