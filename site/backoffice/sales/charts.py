"""Bar charts drawn as inline SVG on the server: no JavaScript library, readable
on a phone, with the same figures in a table for screen readers."""
from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Bar:
    label: str
    value: Decimal
    x: float
    y: float
    height: float


@dataclass
class BarChart:
    title: str
    bars: list
    width: float
    height: float
    bar_width: float
    maximum: Decimal


def bar_chart(title, periods, value=lambda period: period.revenue, height=160, bar_width=12, gap=3):
    values = [Decimal(value(period) or 0) for period in periods]
    maximum = max(values, default=Decimal(0)) or Decimal(1)
    bars = []
    for index, (period, amount) in enumerate(zip(periods, values)):
        bar_height = float(amount / maximum) * height
        bars.append(Bar(period.label, amount, index * (bar_width + gap), height - bar_height, bar_height))
    return BarChart(title, bars, len(bars) * (bar_width + gap), height, bar_width, maximum)
