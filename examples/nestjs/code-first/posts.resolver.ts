import { Inject } from '@nestjs/common';
import { Args, Directive, Extensions, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PostsService, type PostRecord } from '../posts.service.js';
import { Post } from './post.model.js';

/** Code-first: requirements as `@Directive('@scope(...)')`, or as `@Extensions({ scope: ... })`. */
@Resolver(() => Post)
export class PostsResolver {
  constructor(@Inject(PostsService) private readonly posts: PostsService) {}

  @Query(() => String, { description: 'Public: no requirement.' })
  hello(): string {
    return 'world';
  }

  @Query(() => [Post])
  @Directive('@scope(resource: "posts")')
  allPosts(): PostRecord[] {
    return this.posts.list();
  }

  @Mutation(() => Post)
  @Directive('@scope(resource: "posts")')
  createPost(@Args('title', { type: () => String }) title: string): PostRecord {
    return this.posts.create(title);
  }

  @Mutation(() => Boolean)
  @Extensions({ scope: { resource: 'posts', action: 'publish' } })
  publishPost(@Args('id', { type: () => ID }) id: string): boolean {
    return this.posts.publish(id);
  }
}
