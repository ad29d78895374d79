// k6 cannot be installed here, and `tsc` cannot see inside strings or run init code. This
// fills part of that gap without pretending to be k6: it strips the scenarios' types, runs
// their init code against stand-ins for k6's modules (no request is ever sent), and checks
// that the options they export are ones k6 accepts: executors, whole VU counts and rates,
// durations, threshold metrics and expressions. A run still needs a real k6.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const source = path.resolve(import.meta.dirname, '../k6');
const SCENARIOS = ['smoke', 'load', 'stress', 'spike', 'soak'];
// The defaults, then every knob set to something unusual but valid.
const ENVS = [
  {},
  { BASE_URL: 'http://localhost:8080/', RATE: '7', VUS: '1', MAX_VUS: '3', DURATION: '1h30m' },
  { RAMP: '10s', STEP: '45s', SPIKE: '2.5', LATENCY_SCALE: '0.5', EXPECT_429: 'false' },
];

const STUBS = {
  'index.js': `export const check = () => true;
export function fail(message) { throw new Error(message); }
export function sleep() {}`,
  'http.js': `const expectedStatuses = (...statuses) => statuses;
export default { expectedStatuses, setResponseCallback() {},
  request() { throw new Error('a request in init code'); } };`,
  'metrics.js':
    'export class Rate { add() {} }\nexport class Counter { add() {} }\nexport class Trend { add() {} }',
  'package.json': JSON.stringify({
    type: 'module',
    exports: { '.': './index.js', './http': './http.js', './metrics': './metrics.js' },
  }),
};

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const EXPRESSION =
  /^(avg|min|max|med|count|rate|value|p\(\d+(\.\d+)?\))\s*(<=?|>=?|===?|!=)\s*\d+(\.\d+)?$/;
const BUILTIN = [
  'checks',
  'http_req_failed',
  'http_req_duration',
  'iterations',
  'dropped_iterations',
];

function build(out) {
  const custom = new Set(BUILTIN);
  for (const file of readdirSync(source, { recursive: true })) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const text = readFileSync(path.join(source, file), 'utf8');
    for (const [, name] of text.matchAll(/new (?:Rate|Counter|Trend|Gauge)\('(\w+)'\)/g)) {
      custom.add(name);
    }
    const { outputText } = ts.transpileModule(text, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2020,
        verbatimModuleSyntax: true,
        rewriteRelativeImportExtensions: true,
      },
    });
    const target = path.join(out, file.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  mkdirSync(path.join(out, 'node_modules/k6'), { recursive: true });
  for (const [name, text] of Object.entries(STUBS)) {
    writeFileSync(path.join(out, 'node_modules/k6', name), text);
  }
  return custom;
}

function checkScenario(scenario, fault) {
  const whole = (value, what, min = 1) => {
    if (!Number.isInteger(value) || value < min) fault(`${what} must be a whole number ≥ ${min}`);
  };
  const duration = (value, what) => {
    if (!DURATION.test(value)) fault(`${what}: bad duration ${value}`);
  };
  if (scenario.executor === 'constant-vus') {
    whole(scenario.vus, 'vus');
    duration(scenario.duration, 'duration');
  } else if (scenario.executor.endsWith('arrival-rate')) {
    whole(scenario.preAllocatedVUs, 'preAllocatedVUs');
    whole(scenario.maxVUs, 'maxVUs', scenario.preAllocatedVUs);
    duration(scenario.timeUnit, 'timeUnit');
    if (scenario.executor === 'constant-arrival-rate') {
      whole(scenario.rate, 'rate');
      duration(scenario.duration, 'duration');
    } else {
      whole(scenario.startRate, 'startRate', 0);
      for (const stage of scenario.stages) {
        whole(stage.target, 'stage target', 0);
        duration(stage.duration, 'stage duration');
      }
    }
  } else fault(`unexpected executor ${scenario.executor}`);
}

function checkOptions(module, metrics, fault) {
  const { options } = module;
  for (const name of ['default', 'setup', 'teardown']) {
    if (typeof module[name] !== 'function') fault(`exports no ${name} function`);
  }
  Object.values(options.scenarios).forEach((scenario) => checkScenario(scenario, fault));
  if (!DURATION.test(options.teardownTimeout)) fault('bad teardownTimeout');
  for (const [key, rules] of Object.entries(options.thresholds)) {
    const [, metric, tags] = /^(\w+)(\{[^{}]*\})?$/.exec(key) ?? [];
    if (!metrics.has(metric)) fault(`threshold on unknown metric ${key}`);
    if (tags && !/^\{\w+:[\w./ -]+(,\w+:[\w./ -]+)*\}$/.test(tags)) fault(`bad tags in ${key}`);
    for (const rule of rules) {
      const expression = typeof rule === 'string' ? rule : rule.threshold;
      if (!EXPRESSION.test(expression)) fault(`${key}: bad expression "${expression}"`);
      if (typeof rule === 'object' && rule.delayAbortEval && !DURATION.test(rule.delayAbortEval)) {
        fault(`${key}: bad delayAbortEval`);
      }
    }
  }
}

const out = mkdtempSync(path.join(tmpdir(), 'k6-options-'));
const problems = [];
try {
  const metrics = build(out);
  for (const [index, env] of ENVS.entries()) {
    Object.assign(globalThis, { __ENV: { ...env }, __VU: 0, __ITER: 0 });
    for (const name of SCENARIOS) {
      const fault = (message) =>
        problems.push(`${name}.ts with ${JSON.stringify(env)}: ${message}`);
      const url = `${pathToFileURL(path.join(out, `${name}.js`)).href}?env=${index}`;
      try {
        checkOptions(await import(url), metrics, fault);
      } catch (error) {
        fault(`init code threw: ${error.message}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`k6 options: ${SCENARIOS.join(', ')} accepted with ${ENVS.length} sets of knobs`);
