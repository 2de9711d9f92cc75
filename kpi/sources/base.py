from dataclasses import dataclass, field


@dataclass
class Collected:
    """Counters of one source for one shop and period: the shop's and each agent's."""

    shop: dict = field(default_factory=dict)
    agents: dict[int, dict] = field(default_factory=dict)

    def agent(self, agent_id: int) -> dict:
        return self.agents.setdefault(agent_id, {})
