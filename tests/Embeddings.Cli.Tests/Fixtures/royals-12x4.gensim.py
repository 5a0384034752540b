# The expected values of WordCommandsTests' gensim comparisons: run with gensim 4 (Debian's python3-gensim 4.2.0) as
#   /usr/bin/python3 royals-12x4.gensim.py
from gensim.models import KeyedVectors

kv = KeyedVectors.load_word2vec_format("royals-12x4.txt")
for name, query in [
    ("most_similar", lambda: kv.most_similar(positive=["king", "woman"], negative=["man"], topn=4)),
    ("most_similar_cosmul", lambda: kv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=4)),
    ("most_similar_cosmul", lambda: kv.most_similar_cosmul(positive=["prince", "girl"], negative=["boy"], topn=3)),
]:
    print(name, [(word, repr(float(score))) for word, score in query()])
print("similarity king queen", repr(float(kv.similarity("king", "queen"))))
