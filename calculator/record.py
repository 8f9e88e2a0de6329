"""Record: the engine's small immutable value classes, without `dataclasses`.

A frozen dataclass generates its methods' source and `exec`s it when the class is made, and
`dataclasses` imports `inspect`: together about two thirds of `import calculator.api` in Pyodide,
paid on every start of the calculator. A Record does the same job with methods written once here.

A subclass writes its own `__init__`: its parameters, in order, are the record's fields (what a
dataclass's annotations were), and it stores them with `self._set(locals())`. Records of the same
class are equal when their fields are; they hash by their fields (less the ones named in
`_unhashed`, e.g. dicts); assigning or deleting an attribute raises AttributeError; the repr is
`Name(field=value, ...)`. `functools.cached_property` works on them (it writes the instance
`__dict__` directly).
"""


class Record:
    _fields = ()     # the subclass's __init__ parameters after self, in order
    _unhashed = ()   # fields left out of the hash (unhashable values such as dicts)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        code = cls.__init__.__code__
        cls._fields = code.co_varnames[1:code.co_argcount]

    def _set(self, values):
        """Store the fields from `values` (the subclass __init__'s locals())."""
        stored = self.__dict__
        for name in self._fields:
            stored[name] = values[name]

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r} of {type(self).__name__}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r} of {type(self).__name__}")

    def _values(self):
        stored = self.__dict__
        return tuple(stored[name] for name in self._fields)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self):
        stored = self.__dict__
        return hash(tuple(stored[name] for name in self._fields if name not in self._unhashed))

    def __repr__(self):
        stored = self.__dict__
        return f"{type(self).__qualname__}({', '.join(f'{n}={stored[n]!r}' for n in self._fields)})"
