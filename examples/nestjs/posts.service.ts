import { Injectable } from '@nestjs/common';

/** A post of the example blog. */
export interface PostRecord {
  id: string;
  title: string;
  published: boolean;
  /** Editors' notes: their own scope, `posts.review`. */
  notes: string;
}

/** The example's data: a few posts in memory (the scope records live in MongoDB). */
@Injectable()
export class PostsService {
  private readonly posts: PostRecord[] = [
    { id: '1', title: 'Hello, Nest', published: true, notes: 'check the intro' },
    { id: '2', title: 'Scopes in code-first schemas', published: false, notes: 'needs a diagram' },
  ];

  list(): PostRecord[] {
    return this.posts;
  }

  create(title: string): PostRecord {
    const post = { id: String(this.posts.length + 1), title, published: false, notes: '' };
    this.posts.push(post);
    return post;
  }

  publish(id: string): boolean {
    const post = this.posts.find((candidate) => candidate.id === id);
    if (post) post.published = true;
    return post !== undefined;
  }
}
