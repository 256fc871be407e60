# expect: name must start with a letter
name = "1-images"
