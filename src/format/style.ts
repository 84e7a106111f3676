// Colour functions passed into formatters, so that formatters stay pure and testable with colour off.

export interface Style {
  readonly enabled: boolean;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly blue: (text: string) => string;
  readonly magenta: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly gray: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

const identity = (text: string): string => text;

/** A style that prints no escape sequences: for pipes, NO_COLOR and tests. */
export const plainStyle: Style = {
  enabled: false,
  red: identity,
  green: identity,
  yellow: identity,
  blue: identity,
  magenta: identity,
  cyan: identity,
  gray: identity,
  bold: identity,
  dim: identity,
};
