/**
 * The app's entry points as the compiler sees them: route handler methods, server actions and
 * pages, read from the TypeScript syntax tree rather than matched with regular expressions, so
 * comments, export styles and inline `"use server"` functions cannot hide one from the
 * authorization matrix.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function parse(file: string, source: string): ts.SourceFile {
  return ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

/** Whether a block of statements (a file, a function body) starts with the directive. */
function hasDirective(statements: ts.NodeArray<ts.Statement>, directive: string): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

function isDefault(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** Every name the module exports, whatever the syntax (`default` for a default export). */
export function exportedNames(sourceFile: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) names.push("default");
    else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) names.push(...clause.elements.map((element) => element.name.text));
      else if (clause && ts.isNamespaceExport(clause)) names.push(clause.name.text);
      else names.push("*");
    } else if (isExported(statement)) {
      if (isDefault(statement)) names.push("default");
      else if (ts.isVariableStatement(statement)) names.push(...statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name)));
      else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.push(statement.name.text);
    }
  }
  return names;
}

/** A function's name for the matrix: its own, the variable or property it is assigned to, or its line. */
function functionLabel(node: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return `line ${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}

/**
 * The server actions a file defines: every export of a `"use server"` module (the directive may
 * follow comments), and every function whose own body starts with `"use server"`, exported or not.
 */
export function serverActionsIn(file: string, source: string): string[] {
  if (!source.includes("use server")) return [];
  const sourceFile = parse(file, source);
  const actions = hasDirective(sourceFile.statements, "use server") ? exportedNames(sourceFile) : [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body && ts.isBlock(node.body) && hasDirective(node.body.statements, "use server")) {
      actions.push(`inline ${functionLabel(node as ts.FunctionLikeDeclaration, sourceFile)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return actions;
}

/** The HTTP methods a route module exports, whatever the export syntax. */
export function routeMethodsIn(file: string, source: string): string[] {
  return exportedNames(parse(file, source)).filter((name) => HTTP_METHODS.includes(name));
}

function sourceFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFilesUnder(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

export interface AppEntryPoints {
  /** `METHOD /path/of/route` */
  routes: string[];
  /** `relative/file.ts#name` */
  actions: string[];
  /** `/path/of/page` (route groups kept, as in the file tree) */
  pages: string[];
}

/** Every route handler method, server action and page under the app directory. */
export function appEntryPoints(appDir: string): AppEntryPoints {
  const relative = (file: string) => path.relative(appDir, file).split(path.sep).join("/");
  const routeOf = (file: string) => `/${relative(path.dirname(file))}`.replace(/\/$/, "") || "/";
  const entries: AppEntryPoints = { routes: [], actions: [], pages: [] };
  for (const file of sourceFilesUnder(appDir)) {
    const source = fs.readFileSync(file, "utf8");
    const base = path.basename(file);
    if (/^route\.tsx?$/.test(base)) entries.routes.push(...routeMethodsIn(file, source).map((method) => `${method} ${routeOf(file)}`));
    if (/^page\.tsx?$/.test(base)) entries.pages.push(routeOf(file));
    entries.actions.push(...serverActionsIn(file, source).map((name) => `${relative(file)}#${name}`));
  }
  return entries;
}
