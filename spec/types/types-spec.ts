import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const virtualFile = path.join(root, 'spec/types/__missing-serde__.ts');

/**
 * The compiler's messages for `code` (each with its related information, where an editor
 * shows what the call lacks), compiled as `spec/types/tsconfig.json` compiles.
 */
const diagnosticsOf = (code: string): string[] => {
  const configPath = path.join(root, 'spec/types/tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === virtualFile || fileExists(file);
  host.readFile = (file) => (file === virtualFile ? code : readFile(file));
  host.getSourceFile = (file, language, ...rest) =>
    file === virtualFile
      ? ts.createSourceFile(file, code, language)
      : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([virtualFile], options, host);
  return program
    .getSemanticDiagnostics(program.getSourceFile(virtualFile))
    .map((d) =>
      [d, ...(d.relatedInformation ?? [])]
        .map((m) => ts.flattenDiagnosticMessageText(m.messageText, '\n'))
        .join('\n'),
    );
};

describe('the types of to()', () => {
  it('should say which serde a sink is missing, at the to() call', () => {
    const messages = diagnosticsOf(`
      import { Serdes, StreamsBuilder, to } from 'rx-kstreams';
      interface Order { readonly id: string }
      const orders = new StreamsBuilder().stream('orders', {
        key: Serdes.string(),
        value: Serdes.json<Order>(),
      });
      orders.pipe(to('no-serdes'));
      orders.to('no-value-serde', { key: Serdes.string() });
      orders.to('fine', { key: Serdes.string(), value: Serdes.json<Order>() });
    `);

    expect(messages).toEqual([
      "Expected 2 arguments, but got 1.\nArguments for the rest parameter 'serdes' were not provided.",
      expect.stringMatching(
        /^Argument of type '\{ key: Serde<string \| null>; \}' is not assignable to parameter of type 'SerdesRequired<string \| null, Order \| null>'\.\n {2}Property 'value' is missing/,
      ),
    ]);
  }, 60_000);
});
