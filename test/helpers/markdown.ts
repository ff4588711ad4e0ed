/** The shell in a markdown text: ```sh blocks (continuation lines joined) and inline code spans. */
export function codeOf(markdown: string): string[] {
  const fenced = shellBlocks(markdown).flatMap((block) => block.replace(/\\\n\s*/g, " ").split("\n"));
  const withoutFences = markdown.replace(/^( *)```[a-z]*\n[\s\S]*?^\1```/gm, "");
  const inline = [...withoutFences.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\s+/g, " "));
  return [...fenced, ...inline];
}

/** The ```sh blocks of a markdown text, in order, their list indentation removed. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```(?:sh|bash|shell)\n([\s\S]*?)^\1```/gm)].map((m) =>
    m[2]
      .split("\n")
      .map((line) => (line.startsWith(m[1]) ? line.slice(m[1].length) : line))
      .join("\n"),
  );
}
