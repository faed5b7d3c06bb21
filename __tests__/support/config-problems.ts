/** The problem lines a config edit produces, for tests of the config's rules. */
import { ConfigError, parseConfig } from "../../config/load";
import { defaultRawConfig } from "../fixtures";

type Raw = Record<string, any>;

/** The problem lines (without their "  - ") of the default config with `edit` applied; [] when it is accepted. */
export function problems(edit: (raw: Raw) => void, raw: Raw = defaultRawConfig()): string[] {
  edit(raw);
  try {
    parseConfig(raw, "test.json");
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const [heading, ...lines] = (err as Error).message.split("\n");
    expect(heading).toBe("Invalid config test.json:");
    return lines.map((line) => line.replace(/^ {2}- /, ""));
  }
}
