/** Fenced code blocks of one language from a Markdown file, in order. */
export function codeBlocks(markdown: string, lang: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  for (const match of markdown.matchAll(fence)) blocks.push(match[1]!);
  return blocks;
}

/** The bodies of `<script type="module">` elements in the README's html blocks. */
export function moduleScripts(markdown: string): string[] {
  return codeBlocks(markdown, 'html').flatMap((html) => [...html.matchAll(/<script type="module">\n([\s\S]*?)<\/script>/g)].map((m) => m[1]!));
}
