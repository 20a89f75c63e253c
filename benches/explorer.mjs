// The explorer benchmark's scenario (benches/explorer.py runs it through
// tests/browser/drive.mjs): how long a page takes to be ready, and each interaction until the
// next frame is painted, the fastest of three runs for the frames.
export default async function (page, helpers) {
  const ready = await page.evaluate(() => performance.now());
  return page.evaluate(async (ready) => {
    const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const time = async (action) => {
      const start = performance.now();
      await action();
      await frame();
      return performance.now() - start;
    };
    const fastest = async (action) => Math.min(await time(action), await time(action), await time(action));
    const click = (selector) => () => document.querySelector(selector).click();
    const search = document.getElementById('search');
    const out = { renderer: document.body.dataset.renderer, ready };
    out.search = await time(() => {
      search.value = 'ka';
      search.dispatchEvent(new Event('input'));
    });
    out.select = await time(click('#results li'));
    out.line = await time(click('#panel li button'));
    const stance = document.getElementById('f-stance');
    out.filter = await time(() => {
      stance.value = 'denies';
      stance.dispatchEvent(new Event('change'));
    });
    await time(click('#f-reset'));
    out.fit = await fastest(click('#zoom-fit'));
    out.zoom = await fastest(click('#zoom-in'));
    out.heap = performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null;
    return out;
  }, ready);
}
