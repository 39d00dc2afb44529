from typing import Any, Callable, Iterator, Optional, Sequence, Union, overload

Number = Union[int, float]
Numbers = Union[Number, Sequence[Number], Any]

core_version: str
__version__: str

class Error(Exception): ...

class InputError(Error, ValueError):
    field: str
    index: Optional[int]

class Array:
    format: str
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, i: int) -> Number: ...
    @overload
    def __getitem__(self, i: slice) -> list: ...
    def __iter__(self) -> Iterator[Number]: ...
    def tolist(self) -> list: ...

def erlang_b(agents: Numbers, traffic: Numbers) -> Union[float, Array]: ...
def erlang_c(agents: Numbers, traffic: Numbers) -> Union[float, Array]: ...
def service_level(agents: Numbers, traffic: Numbers, aht: Numbers,
                  answer_time: Numbers) -> Union[float, Array]: ...
def asa(agents: Numbers, traffic: Numbers, aht: Numbers) -> Union[float, Array]: ...
def occupancy(agents: Numbers, traffic: Numbers) -> Union[float, Array]: ...

class ErlangA:
    p_wait: Union[float, Array]
    p_abandon: Union[float, Array]
    service_level: Union[float, Array]
    asa: Union[float, Array]
    occupancy: Union[float, Array]

def erlang_a(agents: Numbers, traffic: Numbers, aht: Numbers, patience: Numbers,
             answer_time: Numbers = ...) -> ErlangA: ...
def combine_shrinkage(*components: float) -> float: ...

class Requirements:
    agents: Array
    heads: Array
    traffic: Array
    service_level: Array
    asa: Array
    occupancy: Array
    p_wait: Array
    p_abandon: Optional[Array]
    interval: float
    targets: dict
    agent_hours: float
    head_hours: float
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[dict]: ...
    def to_pandas(self, index: Any = ...) -> Any: ...

def requirements(volume: Numbers, aht: Numbers, *, interval: float = ...,
                 service_level: Optional[float] = ..., answer_time: float = ...,
                 asa: Optional[float] = ..., max_occupancy: Optional[float] = ...,
                 shrinkage: Numbers = ..., min_agents: int = ...,
                 patience: Optional[float] = ..., max_abandon: Optional[float] = ...,
                 threads: Optional[int] = ...) -> Requirements: ...

def solve(problem: Union[dict, str],
          progress: Optional[Callable[[float, float, float], Any]] = ...) -> dict:
    """Solves a staffplan-problem/1 (dict or JSON path) -> staffplan-result/1 dict.

    progress(objective, bound, seconds) is called as the solve improves;
    Ctrl-C returns the best solution so far with stop == "cancelled"."""
    ...

def write_lp(problem: Union[dict, str], path: str) -> None:
    """Writes the model solve() would solve in CPLEX LP format."""
    ...

def roster(problem: Union[dict, str], schedule: Optional[dict] = ...,
           agents: Any = ...,
           progress: Optional[Callable[[float, float, float], Any]] = ...) -> dict:
    """Rosters named agents (docs/roster-format.md) -> staffplan-result/1 dict.

    schedule: None (choose and assign shifts at once) or a solve() result
    whose assignments are given to agents; agents: list of dicts or a
    pandas DataFrame overriding problem["agents"]."""
    ...
