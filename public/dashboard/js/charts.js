/* global window */
import { h } from './dom.js';
import { num, pct } from './format.js';
import { t } from './i18n.js';

const FUNNEL_STEPS = [
  ['leads', t('Leads')],
  ['dialled', t('Dialled')],
  ['reached', t('Reached')],
  ['qualified', t('Qualified')],
];
const FUNNEL_COLOURS = ['#94a3b8', '#60a5fa', '#2563eb', '#16a34a'];

/**
 * The outcome funnel, leads → dialled → reached → qualified, as a Chart.js bar chart. The same
 * figures are in the canvas's accessible name, for people who cannot see it.
 * Returns `{ el, update(summary), destroy() }`.
 */
export function funnelChart() {
  const canvas = h('canvas', {
    id: 'funnel-chart',
    role: 'img',
    'aria-label': t('Outcome funnel'),
  });
  const el = h('div', { class: 'chart-box' }, canvas);
  const Chart = window.Chart;
  let chart;

  function values(summary) {
    return FUNNEL_STEPS.map(([key]) => summary?.[key] ?? 0);
  }

  function describe(summary) {
    const text = FUNNEL_STEPS.map(([key, label]) => `${label}: ${num(summary?.[key] ?? 0)}`).join(
      ', ',
    );
    canvas.setAttribute('aria-label', t('Outcome funnel. {text}.', { text }));
  }

  return {
    el,
    update(summary) {
      describe(summary);
      if (!Chart) {
        el.replaceChildren(
          h(
            'p',
            { class: 'hint' },
            t('Charts could not be loaded; the figures are listed beside.'),
          ),
        );
        return;
      }
      if (!chart) {
        chart = new Chart(canvas, {
          type: 'bar',
          data: {
            labels: FUNNEL_STEPS.map(([, label]) => label),
            datasets: [
              {
                label: t('Leads'),
                data: values(summary),
                backgroundColor: FUNNEL_COLOURS,
                borderRadius: 4,
              },
            ],
          },
          options: {
            indexAxis: 'y',
            maintainAspectRatio: false,
            animation: { duration: 300 },
            plugins: {
              legend: { display: false },
              tooltip: {
                callbacks: {
                  label: (ctx) => {
                    const first = ctx.dataset.data[0] || 0;
                    return `${num(ctx.parsed.x)} (${pct(first ? ctx.parsed.x / first : null)} of leads)`;
                  },
                },
              },
            },
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          },
        });
        return;
      }
      const next = values(summary);
      const dataset = chart.data.datasets[0];
      if (next.every((v, i) => v === dataset.data[i])) return;
      dataset.data = next;
      chart.update();
    },
    destroy() {
      chart?.destroy();
      chart = undefined;
    },
  };
}
