// The few facts worth one glance for each event family (who, what), read defensively from a payload.

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Key facts of an event, unescaped (the caller makes them terminal-safe): user → username and
 * email; topic → title; post → author and topic; conversation → subject; message → sender.
 */
export function eventFacts(type: string | undefined, payload: unknown): string[] {
  const object = field(payload, "data", "object");
  const family = type?.split(".")[0];
  const facts: (string | undefined)[] = [];
  switch (family) {
    case "user": {
      facts.push(text(field(object, "username")));
      const email = text(field(object, "email"));
      if (email) facts.push(`<${email}>`);
      break;
    }
    case "topic":
      facts.push(quoted(text(field(object, "title"))));
      break;
    case "post": {
      const author = text(field(object, "author", "username")) ?? text(field(object, "username"));
      if (author) facts.push(`by ${author}`);
      const topic = quoted(text(field(object, "topic", "title"))) ?? prefixed("topic ", text(field(object, "topicId")));
      if (topic) facts.push(`in ${topic}`);
      break;
    }
    case "conversation":
      facts.push(quoted(text(field(object, "subject"))));
      break;
    case "message": {
      const sender = text(field(object, "sender", "username"));
      if (sender) facts.push(`from ${sender}`);
      break;
    }
    default:
      break;
  }
  return facts.filter((fact): fact is string => fact !== undefined);
}

function quoted(value: string | undefined): string | undefined {
  return value === undefined ? undefined : `"${value}"`;
}

function prefixed(prefix: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${prefix}${value}`;
}
