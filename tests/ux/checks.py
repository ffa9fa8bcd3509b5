"""What the UX tests measure in the rendered page: horizontal scroll, text contrast, an axe-core scan."""

# Every visible control whose text is below WCAG AA (4.5:1), from the rendered colours: the text colour
# against the effective background (the element's and its ancestors' backgrounds composed over white),
# so white text on a white panel is caught whatever the class names say.
LOW_CONTRAST_CONTROLS = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) layers.push(colour);
      if (colour && colour.a === 1) break;
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 2 && box.height > 2 && style.visibility !== "hidden" && style.display !== "none"
      && Number(style.opacity) > 0 && element.getClientRects().length > 0;
  };
  const failures = [];
  const controls = document.querySelectorAll("a[href], button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea, summary, [role=tab]");
  for (const control of controls) {
    if (!visible(control)) continue;
    const text = (control.innerText || control.value || control.getAttribute("aria-label") || "").trim();
    if (!text && !["INPUT", "SELECT", "TEXTAREA"].includes(control.tagName)) continue;
    const back = background(control);
    const fore = over(parse(getComputedStyle(control).color), back);
    const value = ratio(fore, back);
    if (value < 4.5) {
      failures.push(`${control.tagName.toLowerCase()} "${text.slice(0, 40)}" ${value.toFixed(2)}:1`);
    }
  }
  return failures;
}
"""

HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page (axe.min.js ships in axe-playwright-python)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
