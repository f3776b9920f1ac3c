# SPDX-License-Identifier: GPL-3.0-or-later
# Classes: __init__, methods, instance and class attributes, attribute lookup order, inheritance
# with super().__init__ and method overriding, __repr__ and __str__ (print, str, repr, f-string,
# inside containers), __eq__, __len__, isinstance/issubclass, type(x).__name__, class-level
# counters, attributes added later, getattr/setattr/hasattr.


class Animal:
    kingdom = "animalia"
    count = 0

    def __init__(self, name, sound="..."):
        self.name = name
        self.sound = sound
        Animal.count += 1

    def speak(self):
        return f"{self.name} says {self.sound}"

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


class Dog(Animal):
    def __init__(self, name, tricks=None):
        super().__init__(name, "woof")
        self.tricks = tricks or []

    def speak(self):
        base = super().speak()
        return base + "!" * len(self.tricks)

    def __str__(self):
        return f"dog {self.name} ({len(self.tricks)} tricks)"


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __len__(self):
        return 2

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def moved(self, dx=0, dy=0):
        return Point(self.x + dx, self.y + dy)


cat = Animal("Tom", "meow")
rex = Dog("Rex", ["sit", "roll"])
print(cat.speak())
print(rex.speak())
print(cat, rex)
print(str(cat), str(rex), repr(rex))
print(f"{rex} / {rex!r} / {[cat, rex]}")
print([cat, rex], {"pet": rex}, (cat,))
print(Animal.count, cat.count, Dog.kingdom, rex.kingdom)
cat.kingdom = "override"
print(cat.kingdom, Animal.kingdom, rex.kingdom)
print(isinstance(rex, Animal), isinstance(cat, Dog), issubclass(Dog, Animal), issubclass(Animal, Dog))
print(type(rex).__name__, type(rex) is Dog, type(rex) is Animal, Dog.__name__)
p = Point(1, 2)
print(p == Point(1, 2), p != Point(2, 1), p == (1, 2), len(p))
print(p.moved(dx=3), p.moved(1, 1), p)
p.label = "origin-ish"
print(p.label, hasattr(p, "label"), hasattr(p, "z"), getattr(p, "z", "default"))
setattr(p, "z", 9)
print(getattr(p, "z"))
speak = rex.speak
print(speak(), Animal.speak(cat))
