/**
 * Drags with the left mouse button across an element, as Cornerstone3D's tools listen for it
 * (mousedown on the element, mousemove/mouseup on the document). Points are element-relative pixels.
 */
export async function drag(
  element: Element,
  from: readonly [number, number],
  to: readonly [number, number],
  steps = 10,
): Promise<void> {
  const rect = element.getBoundingClientRect();
  const init = ([x, y]: readonly [number, number], buttons: number): MouseEventInit => ({
    clientX: rect.left + x,
    clientY: rect.top + y,
    screenX: rect.left + x,
    screenY: rect.top + y,
    button: 0,
    buttons,
    bubbles: true,
    cancelable: true,
    view: window,
  });
  element.dispatchEvent(new MouseEvent('mousedown', init(from, 1)));
  for (let step = 1; step <= steps; step++) {
    const point: [number, number] = [
      from[0] + ((to[0] - from[0]) * step) / steps,
      from[1] + ((to[1] - from[1]) * step) / steps,
    ];
    document.dispatchEvent(new MouseEvent('mousemove', init(point, 1)));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  document.dispatchEvent(new MouseEvent('mouseup', init(to, 0)));
  await new Promise((resolve) => setTimeout(resolve, 50));
}
