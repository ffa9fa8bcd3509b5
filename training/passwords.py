"""Generated root user passwords that always meet Account Settings' root password policy, and read aloud well.

An instructor reads them out or shows them on a projector, so they are made of short common words,
a number and a hyphen: "Maple-Tiger-River-47". Three words out of 256 and a two-digit number give
about 31 bits, plenty for a practice account behind the sign-in throttle, and no |{<> to mistype.
"""

import secrets

RULES = (
    "8 to 128 characters, with at least three of: uppercase letters, lowercase letters, numbers and "
    "symbols (! @ # $ % ^ & * ( ) < > [ ] { } | _ + - =). Not your email address."
)

# Short, common, unambiguous when spoken: no homophones (no "sea"/"see"), nothing offensive.
WORDS = tuple("""
acorn actor amber anchor apple april arrow atlas autumn badge bagel baker balloon bamboo banjo barrel basket beacon
beaver berry bicycle bison blanket blossom bottle bramble breeze bridge bright brook bubble bucket butter button cabin
cactus camel candle canoe canyon captain carpet castle cedar cello chalk cherry chess cider circle citrus clover
cobalt coconut comet copper coral cotton cougar crayon cricket crystal cupcake dahlia daisy dancer delta desert
diamond dolphin domino dragon drum eagle easel echo elbow ember emerald engine falcon feather fennel fiddle finch
flame flute forest fossil fountain fox garden garnet gecko ginger glacier globe goose granite grape gravel guitar
hammock harbor harvest hazel helmet heron hickory hiking honey horizon husky igloo indigo island ivory jacket jasmine
jelly jigsaw jungle kayak kettle kiwi koala ladder lagoon lantern laptop lemon lily linen lizard lobster lotus magnet
mango maple marble meadow melon meteor mint mirror mitten monsoon mosaic moss muffin nectar needle nickel noodle
oak oasis ocean olive onion orbit orchid otter owl oyster paddle palace panda paper parrot pasta peach pebble pelican
pepper piano pickle pigeon pillow pilot pine planet plum pocket poppy prairie pretzel puffin pumpkin quartz quiver
rabbit radar radio raft rainbow raven reef ribbon river robin rocket rose ruby saddle saffron salmon sandal satin
scarf school scooter shadow shell silver sketch sled snow sofa spark spider spruce squid starfish stone summer
sunset swan tablet tango teapot thistle thunder tiger timber tomato topaz torch tractor trumpet tulip tundra
turtle umbrella valley velvet violet volcano wagon walnut walrus willow window winter wizard yogurt zebra zipper
""".split())
WORD_COUNT = 3


def generate_root_password() -> str:
    """Capitalised words, hyphens and a two-digit number: upper, lower, digits and a symbol."""
    words = [secrets.choice(WORDS).capitalize() for _ in range(WORD_COUNT)]
    return "-".join([*words, f"{secrets.randbelow(90) + 10}"])
