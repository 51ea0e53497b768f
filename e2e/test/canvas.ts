import type { Locator, Page } from 'playwright-core';

/** Canvas gestures the way a person makes them: drag from the palette, drag between handles. */

/** Ids of the nodes on the canvas, as React Flow renders them (`data-id` on each node wrapper). */
export async function nodeIds(page: Page): Promise<string[]> {
  return page
    .locator('.react-flow__node')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));
}

export async function edgeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__edge').count();
}

export function node(page: Page, id: string): Locator {
  return page.locator(`[data-testid="node-${id}"]`);
}

/**
 * Drags palette item `type` onto the canvas at (`x`, `y`) — fractions of the canvas' width and height —
 * and returns the id of the node that appeared (read off the DOM, not guessed).
 */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = new Set(await nodeIds(page));
  const canvas = page.getByTestId('canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the canvas is not visible');
  await page
    .getByTestId(`palette-${type}`)
    .dragTo(canvas, { targetPosition: { x: Math.round(box.width * x), y: Math.round(box.height * y) } });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const added = (await nodeIds(page)).filter((id) => !before.has(id));
    if (added.length === 1 && added[0]) return added[0];
    if (added.length > 1) throw new Error(`one drop added ${added.length} nodes: ${added.join(', ')}`);
    if (Date.now() > deadline) throw new Error(`dropping palette-${type} on the canvas added no node`);
    await page.waitForTimeout(50);
  }
}

/** The canvas' zoom, from React Flow's viewport transform (`translate(…) scale(z)`). */
export async function zoom(page: Page): Promise<number> {
  const transform = await page
    .locator('.react-flow__viewport')
    .evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? 1);
}

/**
 * Zooms out with the canvas' own "−" control until the zoom is at most `target`, as a person would after
 * the canvas zoomed in on the first node (so the next drops land where they are aimed, side by side).
 */
export async function zoomOutTo(page: Page, target: number): Promise<void> {
  for (let i = 0; i < 20 && (await zoom(page)) > target + 0.05; i++) {
    const before = await zoom(page);
    await page.locator('.react-flow__controls-zoomout').click();
    const deadline = Date.now() + 2_000;
    while ((await zoom(page)) === before && Date.now() < deadline) await page.waitForTimeout(20);
  }
}

/**
 * A mouse drag in small steps with a frame between them: React Flow starts a node drag or a connection
 * only after the pointer has travelled a little, and reads the drop target on the last move.
 */
async function mouseDrag(page: Page, from: Locator, to: { x: number; y: number }): Promise<void> {
  await from.scrollIntoViewIfNeeded();
  const box = await from.boundingBox();
  if (!box) throw new Error('nothing to drag from');
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(start.x + ((to.x - start.x) * i) / steps, start.y + ((to.y - start.y) * i) / steps);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

async function centerOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the drop target is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags node `id` by its title to (`x`, `y`), fractions of the canvas' width and height. */
export async function moveNode(page: Page, id: string, x: number, y: number): Promise<void> {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('the canvas is not visible');
  const title = node(page, id).locator('.sb-node-title');
  const before = await node(page, id).boundingBox();
  await mouseDrag(page, title, { x: box.x + box.width * x, y: box.y + box.height * y });
  const after = await node(page, id).boundingBox();
  if (before && after && before.x === after.x && before.y === after.y)
    throw new Error(`node ${id} did not move`);
}

/** Drags from `source`'s output handle `port` to `target`'s input handle (`in` unless said). */
export async function connect(page: Page, source: string, port: string, target: string, targetPort = 'in') {
  const from = page.locator(`.react-flow__handle.source[data-nodeid="${source}"][data-handleid="${port}"]`);
  const to = page.locator(
    `.react-flow__handle.target[data-nodeid="${target}"][data-handleid="${targetPort}"]`,
  );
  const before = await edgeCount(page);
  await mouseDrag(page, from, await centerOf(to));
  const deadline = Date.now() + 10_000;
  while ((await edgeCount(page)) !== before + 1) {
    if (Date.now() > deadline)
      throw new Error(`dragging ${source}:${port} → ${target}:${targetPort} made no edge`);
    await page.waitForTimeout(50);
  }
}
