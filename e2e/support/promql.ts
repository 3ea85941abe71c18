import { parser } from '@prometheus-io/lezer-promql';
import type { ChartMetric } from './chart';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/**
 * PromQL of the chart's alerts and dashboard, checked without a Prometheus:
 * parsed with Prometheus's own grammar (@prometheus-io/lezer-promql, the
 * parser of Prometheus's query editor, which knows every function and
 * operator), then each selector checked against the metrics the chart
 * declares (files/metrics.yaml).
 */

/** Labels Prometheus adds to every series it scrapes through a ServiceMonitor. */
export const TARGET_LABELS = [
  'namespace',
  'pod',
  'service',
  'endpoint',
  'container',
  'job',
  'instance',
];

/** Functions whose argument must be a counter (or a histogram's series). */
const COUNTER_FUNCTIONS = ['rate', 'irate', 'increase'];

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** One vector selector of a query. */
export interface Selector {
  /** The series name as written. */
  series: string;
  matchers: { label: string; op: string; value: string }[];
  /** The range function the selector is the argument of, if any. */
  rangeFunction?: string;
}

export interface Analysis {
  /** Positions the grammar could not parse (unbalanced, unknown function…). */
  syntaxErrors: number[];
  selectors: Selector[];
  /** Labels of `by`, `without`, `on` and `ignoring`. */
  groupingLabels: string[];
}

function childrenOf(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === name) found.push(c);
  }
  return found;
}

function unquote(literal: string): string {
  return JSON.parse(
    literal.startsWith("'") ? `"${literal.slice(1, -1)}"` : literal,
  );
}

/** The range function (`rate(...)`) a selector is the argument of, if any. */
function rangeFunctionOf(selector: SyntaxNode, query: string) {
  const matrix = selector.parent;
  const call = matrix?.name === 'MatrixSelector' ? matrix.parent?.parent : null;
  const fn =
    call?.name === 'FunctionCall' ? call.getChild('FunctionIdentifier') : null;
  return fn ? query.slice(fn.from, fn.to) : undefined;
}

export function analyze(query: string): Analysis {
  const tree = parser.parse(query);
  const analysis: Analysis = {
    syntaxErrors: [],
    selectors: [],
    groupingLabels: [],
  };
  tree.iterate({
    enter: ref => {
      if (ref.type.isError) {
        analysis.syntaxErrors.push(ref.from);
      } else if (ref.name === 'GroupingLabels') {
        for (const label of childrenOf(ref.node, 'LabelName')) {
          analysis.groupingLabels.push(query.slice(label.from, label.to));
        }
      } else if (ref.name === 'VectorSelector') {
        const node = ref.node;
        const name = node.getChild('Identifier');
        const matchers = node.getChild('LabelMatchers');
        analysis.selectors.push({
          series: name ? query.slice(name.from, name.to) : '',
          matchers: (matchers
            ? childrenOf(matchers, 'UnquotedLabelMatcher')
            : []
          ).map(m => {
            const [label, op, value] = [
              m.firstChild!,
              m.firstChild!.nextSibling!,
              m.lastChild!,
            ];
            return {
              label: query.slice(label.from, label.to),
              op: query.slice(op.from, op.to),
              value: unquote(query.slice(value.from, value.to)),
            };
          }),
          rangeFunction: rangeFunctionOf(node, query),
        });
      }
    },
  });
  return analysis;
}

/** The declared metric a series belongs to, and whether it is a histogram's. */
function metricOf(series: string, metrics: ChartMetric[]) {
  const exact = metrics.find(m => m.name === series && m.type !== 'histogram');
  if (exact) return { metric: exact, histogramSeries: false };
  const suffix = HISTOGRAM_SUFFIXES.find(s => series.endsWith(s));
  const base = suffix ? series.slice(0, -suffix.length) : undefined;
  const histogram = metrics.find(
    m => m.name === base && m.type === 'histogram',
  );
  return histogram ? { metric: histogram, histogramSeries: true } : undefined;
}

/**
 * What is wrong with a query for the declared metrics, as readable lines;
 * none means it parses and queries declared series, labels and values only,
 * with counters and histograms under rate/increase and gauges not.
 */
export function problemsOf(query: string, metrics: ChartMetric[]): string[] {
  const { syntaxErrors, selectors, groupingLabels } = analyze(query);
  const problems = syntaxErrors.map(
    at => `syntax error at ${at}: ${query.slice(at, at + 20)}`,
  );
  const labels = new Set(TARGET_LABELS);
  for (const s of selectors) {
    const found = metricOf(s.series, metrics);
    if (!found) {
      problems.push(`${s.series || '(no name)'} is not in files/metrics.yaml`);
      continue;
    }
    const { metric, histogramSeries } = found;
    Object.keys(metric.labels).forEach(l => labels.add(l));
    if (histogramSeries && s.series.endsWith('_bucket')) labels.add('le');
    const cumulative = metric.type === 'counter' || histogramSeries;
    const underRate = COUNTER_FUNCTIONS.includes(s.rangeFunction ?? '');
    if (cumulative !== underRate) {
      problems.push(
        `${s.series} (${metric.type}) ${
          cumulative ? 'needs' : 'must not be under'
        } rate/irate/increase`,
      );
    }
    for (const m of s.matchers) {
      if (!(m.label in metric.labels) && !TARGET_LABELS.includes(m.label)) {
        problems.push(`${s.series} has no label ${m.label}`);
      }
      const values = metric.labels[m.label] ?? [];
      if (m.op === '=' && values.length > 0 && !values.includes(m.value)) {
        problems.push(`${s.series}{${m.label}} is never "${m.value}"`);
      }
    }
  }
  for (const label of groupingLabels) {
    if (!labels.has(label))
      problems.push(`no series of the query has label ${label}`);
  }
  return problems;
}
