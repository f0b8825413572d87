/**
 * A report plot as a standalone SVG file, drawn by ECharts' server-side SVG renderer in Node (no
 * browser, no DOM): the same option the HTML report draws, without the interactive parts.
 */
export async function optionToSvg(option: Record<string, unknown>, width: number, height: number): Promise<string> {
  const echarts = await import('echarts');
  const { fitLegend } = await import('./chart-base.ts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...fitLegend(option, width), animation: false });
    const svg = chart.renderToSVGString();
    return svg.endsWith('\n') ? svg : `${svg}\n`;
  } finally {
    chart.dispose();
  }
}
