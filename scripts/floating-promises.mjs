#!/usr/bin/env node
// Lists statements that create a promise and drop it (no await, return, void or .catch): on Postgres a
// repository call that is not awaited loses its write's ordering and its error. Biome cannot see these
// (it does not resolve the repositories' mapped types), so this asks TypeScript's own checker.
// Usage: node scripts/floating-promises.mjs <tsconfig> [more tsconfigs]; exits 1 when it finds any.
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const ts = require('typescript');

let found = 0;
for (const configPath of process.argv.slice(2)) {
  const config = ts.readConfigFile(resolve(configPath), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(resolve(configPath)));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const checker = program.getTypeChecker();
  const isPromise = (type) => {
    if (type.isUnion()) return type.types.some(isPromise);
    return !!type.getProperty('then') && !!checker.getPropertyOfType(type, 'catch');
  };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('node_modules')) continue;
    const visit = (node) => {
      if (ts.isExpressionStatement(node)) {
        const expr = node.expression;
        const handled =
          ts.isCallExpression(expr) &&
          ts.isPropertyAccessExpression(expr.expression) &&
          (expr.expression.name.text === 'catch' ||
            (expr.expression.name.text === 'then' && expr.arguments.length === 2));
        const assigned =
          ts.isBinaryExpression(expr) &&
          [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken].includes(
            expr.operatorToken.kind,
          );
        const ignored = handled || assigned || ts.isVoidExpression(expr) || ts.isAwaitExpression(expr);
        if (!ignored && isPromise(checker.getTypeAtLocation(expr))) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart());
          console.log(
            `${relative(process.cwd(), file.fileName)}:${line + 1}: ${node.getText().split('\n')[0]}`,
          );
          found++;
        }
      }
      // `expect(promise).toBe(…)` compares the promise, not its value (`.resolves`/`.rejects` aside).
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'expect' &&
        node.arguments.length > 0 &&
        isPromise(checker.getTypeAtLocation(node.arguments[0])) &&
        !(
          ts.isPropertyAccessExpression(node.parent) &&
          ['resolves', 'rejects'].includes(node.parent.name.text)
        )
      ) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart());
        console.log(
          `${relative(process.cwd(), file.fileName)}:${line + 1}: ${node.getText().split('\n')[0]}`,
        );
        found++;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}
if (found > 0) {
  console.log(
    `${found} promise(s) created and dropped: await them, or write \`void\` where dropping is meant`,
  );
  process.exit(1);
}
