/* global window, document, sessionStorage, DataTransfer, DragEvent, File */
/**
 * Checks the browser test runs inside the page, as plain JavaScript: the test's TypeScript has
 * no DOM types. Installed with `context.addInitScript`, called as `dashboardProbes.name(...)`.
 */
window.dashboardProbes = {
  /** Visible controls with no accessible name (label for=, aria-label, or their own text). */
  unlabelledControls() {
    const missing = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
      if (el.closest('[hidden]')) continue;
      const name =
        el.getAttribute('aria-label') ||
        (el.labels ? [...el.labels].map((l) => l.textContent).join(' ') : '') ||
        (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent : '');
      if (!name || !name.trim()) missing.push(el.outerHTML.slice(0, 120));
    }
    return missing;
  },

  focusedName() {
    return document.activeElement ? document.activeElement.getAttribute('name') : null;
  },

  storedKey() {
    return sessionStorage.getItem('callrounded.apiKey');
  },

  /** Drops a file on an element as a person dragging it from the desktop would. */
  dropFile(selector, name, text) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'text/csv' }));
    const target = document.querySelector(selector);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(
        new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    }
  },

  /** The funnel chart's figures from its Chart.js instance, and how much of the canvas is painted. */
  funnel() {
    const canvas = document.querySelector('#funnel-chart');
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart) return null;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    return {
      labels: chart.data.labels,
      data: chart.data.datasets[0].data,
      painted,
      area: canvas.width * canvas.height,
    };
  },
};
