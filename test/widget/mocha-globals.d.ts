// The browser suites run under Mocha (web-test-runner's default); these are the globals they use.
// Declared here rather than through @types/mocha, whose globals would also leak into the server tests.
interface WidgetTest {
  timeout(ms: number): WidgetTest;
}
type WidgetTestFn = (this: unknown) => void | Promise<unknown>;
declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: WidgetTestFn): WidgetTest;
declare function beforeEach(body: WidgetTestFn): void;
declare function afterEach(body: WidgetTestFn): void;
