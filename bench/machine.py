"""What a bench says about the machine it ran on: wall-clock figures grow with the machine's other work."""

import os


def load_average() -> str:
    loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
    return f"load average (1, 5, 15 min) at the end: {loads} on {os.cpu_count()} CPUs"
