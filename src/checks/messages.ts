/**
 * @module checks/messages
 * Checks layer: messages by id, as typescript-eslint rules declare them (`meta.messages`). A check declares each
 * sentence it can say as a template with `{{name}}` placeholders; a finding carries the template's id and the
 * values filled in (`messageId`, `data`) beside the rendered text. Tests then assert ids and values, not
 * wording, and SARIF gets the templates as `rule.messageStrings` with `{0}`-style placeholders and each result's
 * values as `message.arguments` (SARIF 2.1.0 §3.11.5, §3.11.7-3.11.11, §3.49.11).
 */

/** The values a message's placeholders are filled with. */
export type MessageData = Record<string, string | number>;

/** A check's messages: id -> template. */
export type Messages = Record<string, string>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Messages every check has, beside its own: `unknownCondition` is what checks/conditions says when a finding
 * holds on some of the networks an undecided condition or mode allows, wrapping the finding's own text.
 */
export const COMMON_MESSAGES: Messages = {
  unknownCondition: "Unknown: whether this holds depends on {{conditions}}. It holds if {{holdsIf}}: {{message}}",
};

/** The placeholder names of `template`, each once, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** `template` with each placeholder replaced by its value; one without a value stays as written (as ESLint does). */
export function renderMessage(template: string, data: MessageData = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(data, name) ? String(data[name]) : whole,
  );
}

/**
 * What is wrong with a finding's message reference: an id `messages` does not declare, a placeholder without a
 * value, a value no placeholder uses. Empty when it is sound.
 */
export function messageProblems(messages: Messages, messageId: string, data: MessageData = {}): string[] {
  const template = messages[messageId];
  if (template === undefined) return [`messageId ${messageId} is not declared`];
  const wanted = placeholdersOf(template);
  return [
    ...wanted.filter((p) => !Object.hasOwn(data, p)).map((p) => `${messageId}: no value for {{${p}}}`),
    ...Object.keys(data)
      .filter((k) => !wanted.includes(k))
      .map((k) => `${messageId}: value ${k} is not a placeholder`),
  ];
}

/**
 * `template` as a SARIF message string: each placeholder becomes `{n}`, numbered by first use, and literal braces
 * are doubled (§3.11.5). `order` names the placeholder of each index, so `arguments` can be listed to match.
 */
export function sarifMessageString(template: string): { text: string; order: string[] } {
  const order = placeholdersOf(template);
  let text = "";
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    text += escapeBraces(template.slice(last, m.index)) + `{${order.indexOf(m[1]!)}}`;
    last = m.index + m[0].length;
  }
  return { text: text + escapeBraces(template.slice(last)), order };
}

/** The values of `data` in the order of `order`, as SARIF arguments (strings). */
export function sarifArguments(order: readonly string[], data: MessageData = {}): string[] {
  return order.map((name) => String(data[name] ?? ""));
}

function escapeBraces(text: string): string {
  return text.replace(/[{}]/g, (c) => c + c);
}
