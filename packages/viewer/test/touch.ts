type Point = readonly [number, number];

/**
 * A touch gesture as Cornerstone3D's touch listeners expect it (touchstart on the element,
 * touchmove/touchend on the document). Each finger moves from its start to its end point in `steps`.
 */
export async function touchGesture(
  element: Element,
  fingers: ReadonlyArray<{ from: Point; to: Point }>,
  steps = 10,
): Promise<void> {
  const rect = element.getBoundingClientRect();
  const touchesAt = (progress: number) =>
    fingers.map(({ from, to }, identifier) => {
      const x = rect.left + from[0] + (to[0] - from[0]) * progress;
      const y = rect.top + from[1] + (to[1] - from[1]) * progress;
      return new Touch({
        identifier,
        target: element,
        clientX: x,
        clientY: y,
        pageX: x + window.scrollX,
        pageY: y + window.scrollY,
        screenX: x,
        screenY: y,
        radiusX: 2,
        radiusY: 2,
        force: 1,
      });
    });
  const event = (type: string, touches: Touch[], changed: Touch[] = touches) =>
    new TouchEvent(type, {
      touches,
      targetTouches: touches,
      changedTouches: changed,
      bubbles: true,
      cancelable: true,
    });
  element.dispatchEvent(event('touchstart', touchesAt(0)));
  for (let step = 1; step <= steps; step++) {
    document.dispatchEvent(event('touchmove', touchesAt(step / steps)));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  document.dispatchEvent(event('touchend', [], touchesAt(1)));
  await new Promise((resolve) => setTimeout(resolve, 50));
}
