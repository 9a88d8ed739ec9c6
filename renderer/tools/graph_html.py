"""The HTML page around a journey diagram: its title, steps and a legend of the boxes and lines."""
from __future__ import annotations

from html import escape

from renderer.definition.model import Journey
from renderer.tools.graph_labels import COLOURS, FONT, GREY, LIGHT_GREY

LEGEND = [
    ("page", "页面", "solid"),
    ("page", "条件页面 (虚线框,带条件)", "dashed"),
    ("popup", "弹窗", "solid"),
    ("success", "结果:提交成功", "solid"),
    ("failure", "结果:提交失败", "solid"),
    ("journey", "另一事项", "solid"),
]
LINES = [
    (f"3px solid {COLOURS['page'][0]}", "下一步 (按钮 · 调用的服务)"),
    (f"2px solid {COLOURS['popup'][0]}", "按钮的结果 (outcome) → 弹窗、结果或另一事项"),
    (f"2px dotted {GREY}", "修改 (信息确认页 → 所改的页)"),
    (f"2px dashed {LIGHT_GREY}", "跳过条件页面"),
]


def _inline(svg: str) -> str:
    """The <svg> element alone: dot's XML declaration, DOCTYPE and comments go."""
    return svg[svg.index("<svg"):]


def render_html(journey: Journey, svg: str) -> str:
    """A page with the journey's title, steps, the legend and `svg` (as `dot` drew it)."""
    items = []
    for kind, text, border in LEGEND:
        stroke, fill = COLOURS[kind]
        items.append(f'<li><span class="swatch" style="background:{fill};border:2px {border} {stroke}"></span>'
                     f"{escape(text)}</li>")
    for border, text in LINES:
        items.append(f'<li><span class="line" style="border-top:{border}"></span>{escape(text)}</li>')
    title = escape(journey.title)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} · 流程图</title>
<style>
body {{ font-family: "{FONT}", "PingFang SC", sans-serif; margin: 24px; color: #1f2328; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
p.meta {{ color: #57606a; margin: 0 0 12px; font-size: 13px; }}
ul.legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 20px; font-size: 13px; }}
ul.legend li {{ display: flex; align-items: center; gap: 6px; }}
.swatch {{ display: inline-block; width: 22px; height: 14px; border-radius: 3px; }}
.line {{ display: inline-block; width: 28px; height: 0; }}
.graph {{ overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">journey: {escape(journey.id)} · 步骤: {escape(" → ".join(journey.steps))}</p>
<ul class="legend">
{chr(10).join(items)}
</ul>
<div class="graph">
{_inline(svg)}</div>
</body>
</html>
"""
