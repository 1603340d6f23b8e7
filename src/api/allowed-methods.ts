/**
 * The methods each route takes, so that a path asked with a method it does not take is answered
 * 405 with `Allow` (RFC 9110 §15.5.6), which says what to send, rather than a 404 that reads as a
 * wrong path.
 */
export class AllowedMethods {
  private readonly routes: { pattern: RegExp; methods: string[] }[] = [];

  /** A route as fastify registers it: `:name` matches one path segment, `*` the rest. */
  add(method: string | string[], url: string): void {
    const source = url
      .split('/')
      .map((part) =>
        part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    this.routes.push({ pattern: new RegExp(`^${source}$`), methods: [method].flat() });
  }

  /** The methods some route takes at this path (without its query), in a stable order. */
  at(path: string): string[] {
    const methods = this.routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods);
    return [...new Set(methods)].sort();
  }
}
