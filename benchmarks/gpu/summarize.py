import sys,json
for l in sys.stdin:
  try: d=json.loads(l)
  except Exception: print(l[:200].rstrip()); continue
  if 'error' in d: print(d); continue
  print(d['model'],d['device'],d['epochs'],d['batch_words'],d.get('row_updates'),round(d['run']['words_per_second']/1e6,2),'Mw/s',round(d['run']['train_seconds'],2),'s',round(d['eval']['analogy_accuracy'],4),round(d['eval']['spearman'],4))
